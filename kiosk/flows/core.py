"""The visit core: steps and listeners, the card presence and the wipe; the parts wired together.

No Kivy here: screens call the parts (``flow.card_steps``, ``flow.address``, ``flow.household``,
``flow.review``, ``flow.printing``, ``flow.text``, ``flow.staff``) and re-render from ``flow.step``
and the parts' state whenever ``on_change`` fires. Worker results arrive through the injected
``post`` as typed outcomes (``kiosk.flows.outcomes``). A procedure family is one ``Procedure``
subclass in ``kiosk.flows.procedures`` listed in ``families()``.

Start-up (issue 14): the welcome screen needs only the visit, the text entry and staff mode; the
visit's other parts and the procedure families are made, their modules imported, on the first
access to any of them (the resident's first touch). ``reset`` wipes every part that exists.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk.flows.card_service import CardService
from kiosk.flows.paper import PaperService
from kiosk.flows.procedures import PROCEDURES
from kiosk.flows.staff_mode import FlowSettings, StaffMode
from kiosk.flows.steps import EndReason, Phase, Step, TextPurpose
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import Visit
from kiosk.forms.kinds import FilingKind
from kiosk.forms.master import AddressMaster

if TYPE_CHECKING:
    from kiosk.flows.abroad import AbroadQuestion
    from kiosk.flows.address_step import AddressStep
    from kiosk.flows.card_pause import CardPause
    from kiosk.flows.card_steps import CardSteps
    from kiosk.flows.date_entry import DateEntry
    from kiosk.flows.household import HouseholdPart
    from kiosk.flows.move_out_route import MoveOutRouteQuestion
    from kiosk.flows.newcomer import NewcomerPart
    from kiosk.flows.printing import PrintingPart
    from kiosk.flows.procedures.base import Procedure
    from kiosk.flows.progress import Progress
    from kiosk.flows.review import ReviewPart
    from kiosk.flows.signing import SigningPart
    from kiosk.flows.visit import PersonDraft

log = logging.getLogger(__name__)

#: steps where taking the card off the reader is expected (swapping in the next member's card,
#: the holder's card back for signing; once the filing is queued the card is no longer needed)
CARD_SWAP_STEPS = frozenset(
    {Step.HOUSEHOLD, Step.PLACE_CARD, Step.DONE, Step.WELCOME, Step.PROCEDURE,
     Step.MAINTENANCE, Step.OUT_OF_SERVICE, Step.BLOCKED, Step.SIGN_PIN, Step.SIGN_LAST_TRY,
     Step.PRINTING, Step.PRINT_PROBLEM, Step.CARD_REMOVED}
)  # fmt: skip
#: the card steps that, reading a further member, go back to "place that card" when it leaves
MEMBER_CARD_STEPS = frozenset({Step.PIN, Step.LAST_TRY})
_RESTING = (Step.WELCOME, Step.OUT_OF_SERVICE, Step.MAINTENANCE)
#: the parts made (and their modules imported) on first use, not for the welcome screen
_VISIT_PARTS = frozenset(
    {"card_steps", "address", "household", "dates", "route", "abroad", "newcomer", "signing",
     "printing", "review", "families", "pause"}
)  # fmt: skip

__all__ = ["PROCEDURES", "FlowSettings", "VisitFlow"]


class VisitFlow:
    """Drives one visit at a time; re-usable for the next resident after ``reset``."""

    def __init__(
        self,
        *,
        card: CardService,
        paper: PaperService,
        master: AddressMaster,
        settings: FlowSettings,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.card = card
        self.paper = paper
        self.master = master
        self.settings = settings
        self.visit = Visit(language=settings.default_language)
        self.step = Step.WELCOME
        self.visits_finished = 0
        #: the last visit ended on an unexpected error: the welcome screen says so
        self.fault_notice = False
        self._listeners: list[Callable[[], None]] = []
        self._end_listeners: list[Callable[[EndReason], None]] = []
        self._today = today
        self._wired = False
        self._wiring = False
        # the parts (each holds the state of its own steps); the visit's others: ``_wire``
        self.text = TextEntry(self)
        self.staff = StaffMode(
            self, settings, self.text,
            end_visit=self.reset, visit_active=lambda: self.active,
            visit_started=lambda: self.visit.kind is not None or bool(self.visit.members),
        )  # fmt: skip
        self.procedure: Procedure | None = None
        card.on_presence(self._on_presence)

    # the visit's parts, made by ``_wire`` on first access
    card_steps: CardSteps
    address: AddressStep
    household: HouseholdPart
    dates: DateEntry
    route: MoveOutRouteQuestion
    abroad: AbroadQuestion
    newcomer: NewcomerPart
    signing: SigningPart
    printing: PrintingPart
    review: ReviewPart
    families: list[Procedure]
    pause: CardPause

    if not TYPE_CHECKING:  # (hidden from mypy: it would make every unknown attribute Any)

        def __getattr__(self, name: str) -> Any:
            """A visit part not made yet: make all of them (imports their modules), return it."""
            state = self.__dict__
            if name in _VISIT_PARTS and not state.get("_wired", True) and not state["_wiring"]:
                self._wire()
                return state[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def warm_up(self) -> None:
        """Make the visit's parts now (the app calls it after the welcome screen's first frame,
        so that a resident's first touch does not wait for their imports)."""
        if not self._wired:
            self._wire()
        import kiosk.flows.progress  # noqa: F401  (the step indicator of every visit screen)

    def _wire(self) -> None:
        """Make the visit's parts and wire them to each other and to the flow."""
        self._wiring = True  # a part missing while wiring is a bug: AttributeError, no recursion
        try:
            self._make_parts()
            self._wired = True  # only once every part exists: a failed wiring is tried again
        finally:
            self._wiring = False

    def _make_parts(self) -> None:
        from kiosk.flows.abroad import AbroadQuestion
        from kiosk.flows.address_step import AddressStep
        from kiosk.flows.card_pause import DEFAULT_WIPE_S, CardPause
        from kiosk.flows.card_steps import CardSteps
        from kiosk.flows.date_entry import DateEntry
        from kiosk.flows.household import HouseholdPart
        from kiosk.flows.move_out_route import MoveOutRouteQuestion
        from kiosk.flows.newcomer import NewcomerPart
        from kiosk.flows.printing import PrintingPart
        from kiosk.flows.procedures import families
        from kiosk.flows.procedures.base import Parts
        from kiosk.flows.review import ReviewPart
        from kiosk.flows.signing import SigningPart

        card, paper, master, today = self.card, self.paper, self.master, self._today
        self.card_steps = CardSteps(self, card, self.visit)
        self.address = AddressStep(self, master, self.text)
        self.household = HouseholdPart(self, self.visit, self.text)
        self.dates = DateEntry(self, today)
        self.household.dates = self.dates
        self.route = MoveOutRouteQuestion(self)
        self.abroad = AbroadQuestion(self)
        self.household.filer.dates = self.dates  # the 委任状 date of a 代理人
        self.newcomer = NewcomerPart(self, self.visit, self.text, self.dates)
        self.signing = SigningPart(self, card, self.visit)
        self.printing = PrintingPart(self, self.signing, paper, self.visit)
        self.review = ReviewPart(self, master, today, self.printing.print_filing, self.dates)
        parts = Parts(
            self.visit, self.card_steps, self.text, self.address, self.household, self.review,
            ward_code=lambda: self.settings.ward_code, today=today,
            dates=self.dates, route=self.route, newcomer=self.newcomer, abroad=self.abroad,
            nav=self,
        )  # fmt: skip
        self.families = [family(parts) for family in families()]
        self.card_steps.holder_read = self._holder_read
        self.card_steps.member_read = self.household.member_read
        self.card_steps.data_confirmed = self._start_procedure
        self.card_steps.back_to_household = self._back_to_household
        self.card_steps.recognised = self._card_recognised
        self.pause = CardPause(
            self, card, wipe_after_s=lambda: self.settings.card_removed_wipe_s or DEFAULT_WIPE_S,
            expired=lambda: self.reset(EndReason.CARD_REMOVED),
        )  # fmt: skip
        self.household.read_member_card = lambda: self.card_steps.begin(for_member=True)
        self.household.show_card_data = self.card_steps.show_data

    # ------------------------------------------------------------------ observers, navigation

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every change of step or shown state."""
        self._listeners.append(listener)

    def on_end(self, listener: Callable[[EndReason], None]) -> None:
        """Call ``listener(reason)`` whenever a visit ends and its data is wiped."""
        self._end_listeners.append(listener)

    def go(self, step: Step) -> None:
        """Show ``step`` (listeners re-render)."""
        self.step = step
        for listener in list(self._listeners):
            listener()

    def refresh(self) -> None:
        """Re-render the current step (after a change that keeps the step)."""
        self.go(self.step)

    @property
    def active(self) -> bool:
        """True while a resident's visit is under way (the staff PIN prompt is none)."""
        request = self.text.request
        if request is not None and request.purpose is TextPurpose.STAFF_PIN:
            return False
        return self.step not in _RESTING

    @property
    def phase(self) -> Phase | None:
        """The stage of the visit the current step belongs to (None outside a visit)."""
        from kiosk.flows.progress import phase_of

        text, date_request = self.text.request, self.dates.request
        return phase_of(
            self.step,
            text=text.purpose if text is not None else None,
            date=date_request.purpose if date_request is not None else None,
            for_member=self.card_steps.state.for_member,
        )

    @property
    def progress(self) -> Progress | None:
        """The "step n of total" of the step indicator (None outside a visit)."""
        if not self.active or self.step is Step.CARD_REMOVED:
            return None
        from kiosk.flows.progress import progress

        return progress(self.visit.kind, self.phase)

    @property
    def busy(self) -> bool:
        """True while a card or paper job runs for the visit."""
        if not self._wired:
            return False  # no visit part exists, so none runs a job
        pause = self.pause.state
        checking = pause is not None and pause.checking
        return (
            self.card_steps.state.busy or self.printing.state.busy or self.signing.state.busy
            or checking
        )  # fmt: skip

    # ------------------------------------------------------------------ start / end

    def set_language(self, language: str) -> None:
        """Switch the UI language (kept in the visit, printed nowhere but the filing record)."""
        self.visit.language = language
        self.refresh()

    def start(self) -> None:
        """Welcome → choose procedure."""
        self.go(Step.PROCEDURE)

    @property
    def procedures(self) -> tuple[FilingKind, ...]:
        """The procedures this kiosk offers (the card procedures by ward setting), in order."""
        off = set()
        if not self.settings.seal_card_binding_enabled:
            off.add(FilingKind.SEAL_CARD_BINDING)
        if not self.settings.honseki_registration_enabled:
            off.add(FilingKind.HONSEKI_CONVENIENCE_REGISTRATION)
        return tuple(kind for kind in PROCEDURES if kind not in off)

    def choose_procedure(self, kind: FilingKind) -> None:
        """Pick 転入 / 転居 / 転出 / 世帯変更 (the family that files it); then the card."""
        if kind not in self.procedures:
            return  # switched off by a ward setting (never offered)
        family = next(f for f in self.families if kind in f.kinds)
        self.fault_notice = False  # a new visit: the last one's notice has done its job
        self.procedure = family
        family.begin(kind)
        self.visit.kind = kind
        self.card_steps.begin(for_member=False)

    def _holder_read(self, person: PersonDraft, certificate: bytes) -> None:
        visit = self.visit
        visit.members = [person]
        visit.old_address = person.card_address
        visit.auth_certificate = certificate
        self.pause.remember(certificate)
        from kiosk.flows.build import apply_head

        apply_head(visit, 0)
        # no confirmation screen in the way: the data read shows on the household list (with
        # "data wrong → counter") and again on the review before anything is printed
        self._start_procedure()

    def _back_to_household(self) -> None:
        """From the card steps to the list; the holder's own card put back ends a complete list."""
        if self.step is Step.PLACE_CARD and self.card.card_present:
            self.household.holder_card_back()  # recognised without a PIN, still on the reader
        else:
            self.household.show()

    def _card_recognised(self, certificate: bytes) -> None:
        self.pause.remember(certificate)

    def _start_procedure(self) -> None:
        if self.procedure is not None:
            self.procedure.start()

    def reset(self, reason: EndReason) -> None:
        """End the visit: cancel card/print work, wipe every personal datum, back to welcome."""
        self.card.cancel()
        self.visit.wipe()
        self.visit.language = self.settings.default_language
        self.procedure = None
        self.text.clear()
        if self._wired:  # the visit's parts exist (else none ever held anything)
            for family in self.families:
                family.wipe()
            for part in (self.card_steps, self.address, self.household, self.review,
                         self.printing, self.signing, self.dates, self.route,
                         self.newcomer, self.abroad, self.pause):  # fmt: skip
                part.clear()
        log.info("visit ended: %s", reason.value)
        for listener in list(self._end_listeners):
            listener(reason)
        self.go(self.staff.resting_step)

    def end_after_fault(self) -> None:
        """The app hit an error nothing handled: end the visit as any end does (everything
        wiped) and have the welcome screen say what happened until the notice is cleared."""
        self.fault_notice = True
        self.reset(EndReason.FAULT)

    def clear_fault_notice(self) -> None:
        """The fault notice has been on the welcome screen long enough."""
        if self.fault_notice:
            self.fault_notice = False
            if self.step is Step.WELCOME:
                self.refresh()

    def cancel(self) -> None:
        """The resident pressed "stop"."""
        self.reset(EndReason.CANCELLED)

    def finish(self) -> None:
        """The done screen's "finish" (or its timeout)."""
        self.visits_finished += 1
        self.reset(EndReason.FINISHED)

    def personal_strings(self) -> list[str]:
        """Every personal text the visit holds (privacy checks of the tests and scripted visits)."""
        out = self.visit.personal_strings()
        for family in self.families if self._wired else ():
            out += family.personal_strings()
        return out

    # ------------------------------------------------------------------ staff (delegated)

    def set_in_service(self, ok: bool) -> None:
        """Devices vanished (False) or came back (True)."""
        self.staff.set_in_service(ok)

    def set_default_language(self, code: str) -> None:
        """Staff: the language each visit starts in (kept across restarts)."""
        self.staff.set_default_language(code)

    def shift_counter(self, delta: int) -> None:
        """Staff: the counter number residents are sent to (kept across restarts)."""
        self.staff.shift_counter(delta)

    # ------------------------------------------------------------------ card presence

    def _on_presence(self, present: bool) -> None:
        if present:
            if self.step is Step.PLACE_CARD:
                self.card_steps.check()
            elif self.step is Step.HOUSEHOLD:
                self.household.card_placed()
            elif self.step is Step.SIGN_PIN:
                self.signing.card_arrived()
            elif self.step is Step.CARD_REMOVED:
                self.pause.card_back()
            return
        if self.step is Step.CARD_REMOVED:
            self.pause.card_gone()
            return
        if self.step in CARD_SWAP_STEPS or not self.active or self.busy:
            return  # a card job running learns of it itself (its outcome moves on)
        if self.phase is Phase.HOUSEHOLD:
            if self.step in MEMBER_CARD_STEPS:
                self.card_steps.begin(for_member=True)  # that person's card, again
            return  # the household swaps cards: the visit goes on
        if self.settings.card_removal_ends_visit:
            self.pause.start()
