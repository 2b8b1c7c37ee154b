"""The visit controller: steps, transitions, back/edit, card/print jobs and the wipe at the end.

No Kivy here: screens call these methods and re-render from ``flow.step`` and the public fields
whenever ``on_change`` fires. Every callback from a worker arrives through the injected ``post``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.flows.address_picker import AddressPicker
from kiosk.flows.build import apply_head, build_filing
from kiosk.flows.card_service import CardCheck, CardService
from kiosk.flows.paper import PaperService
from kiosk.flows.staff_defaults import MAX_COUNTER, StaffDefaults, save_defaults
from kiosk.flows.steps import CardNotice, EndReason, Step, TextPurpose
from kiosk.flows.visit import PersonDraft, Visit

if TYPE_CHECKING:
    from kiosk.flows.rendering import RenderedPaper
    from kiosk.hardware.card.my_number_card import ResidentRecord
from kiosk.forms.master import AddressMaster
from kiosk.forms.model import (
    Answer,
    Filing,
    FilingKind,
    HouseholdMode,
    RelatedProcedure,
    Sex,
)
from kiosk.forms.related import suggested_procedures
from kiosk.forms.relationship import Relationship
from kiosk.forms.validation import Finding, Severity, validate
from kiosk.hardware.card.basic_four import Sex as CardSex
from kiosk.hardware.card.errors import (
    CardError,
    NoCardError,
    NotMyNumberCardError,
    PinBlockedError,
    WrongPinError,
)
from kiosk.hardware.printer.errors import PaperOutError, PrinterError

log = logging.getLogger(__name__)

PIN_LENGTH = 4
#: the review's error code when the visit cannot make a filing yet
VISIT_INCOMPLETE = "visit_incomplete"
#: procedures offered on the procedure screen, in order
PROCEDURES = (
    FilingKind.MOVE_IN,
    FilingKind.MOVE_WITHIN,
    FilingKind.MOVE_OUT,
    FilingKind.HOUSEHOLD_RESTRUCTURE,
)
#: steps where taking the card off the reader is expected (swapping in the next member's card)
CARD_SWAP_STEPS = frozenset(
    {Step.HOUSEHOLD, Step.PLACE_CARD, Step.DONE, Step.WELCOME, Step.PROCEDURE,
     Step.MAINTENANCE, Step.OUT_OF_SERVICE, Step.BLOCKED}
)  # fmt: skip
_CARD_SEX = {CardSex.MALE: Sex.MALE, CardSex.FEMALE: Sex.FEMALE}


class PrintProblem:
    """Stable codes the print-problem screen explains."""

    PAPER_OUT = "paper_out"
    OFFLINE = "offline"


@dataclass(slots=True)
class FlowSettings:
    """Behaviour switches from the kiosk configuration."""

    counter: str = "1"
    ward_code: str = ""
    card_removal_ends_visit: bool = True
    default_language: str = "ja"


@dataclass(slots=True)
class TextRequest:
    """What the on-screen keyboard edits now."""

    purpose: TextPurpose
    value: str = ""
    member_index: int | None = None


@dataclass(slots=True)
class Progress:
    """Transient UI state that is not part of the filing."""

    notice: CardNotice = CardNotice.NONE
    tries_left: int | None = None
    busy: bool = False
    print_problem: str = ""
    counter_reason: str = ""
    editing_from_review: bool = False
    checking_data: bool = False
    relationship_index: int | None = None
    chain: list[str] = field(default_factory=list)
    questions: list[RelatedProcedure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: the ERROR findings behind ``errors`` (codes and parameters, for translated messages)
    findings: list[Finding] = field(default_factory=list)


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
        self._today = today
        self.visit = Visit(language=settings.default_language)
        self.step = Step.WELCOME
        self.progress = Progress()
        self.picker: AddressPicker | None = None
        self.text: TextRequest | None = None
        self.documents: RenderedPaper | None = None
        self.filing: Filing | None = None
        self.in_service = True
        self.staff_pin_ok: Callable[[str], bool] = lambda _pin: False
        self.visits_finished = 0
        #: where staff defaults are saved (None: not persisted, e.g. unit tests)
        self.defaults_dir: Path | None = None
        self._adding_member = False
        self._listeners: list[Callable[[], None]] = []
        self._end_listeners: list[Callable[[EndReason], None]] = []
        card.on_presence(self._on_presence)

    # ------------------------------------------------------------------ observers

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after every change of step or shown state."""
        self._listeners.append(listener)

    def on_end(self, listener: Callable[[EndReason], None]) -> None:
        """Call ``listener(reason)`` whenever a visit ends and its data is wiped."""
        self._end_listeners.append(listener)

    def _go(self, step: Step) -> None:
        self.step = step
        for listener in list(self._listeners):
            listener()

    def refresh(self) -> None:
        """Re-render the current step (after a change that keeps the step)."""
        self._go(self.step)

    @property
    def active(self) -> bool:
        """True while a resident's visit is under way (the staff PIN prompt is none)."""
        if self.text is not None and self.text.purpose is TextPurpose.STAFF_PIN:
            return False
        return self.step not in (Step.WELCOME, Step.OUT_OF_SERVICE, Step.MAINTENANCE)

    # ------------------------------------------------------------------ start / end

    def set_language(self, language: str) -> None:
        """Switch the UI language (kept in the visit, printed nowhere but the filing record)."""
        self.visit.language = language
        self.refresh()

    def start(self) -> None:
        """Welcome → choose procedure."""
        self._go(Step.PROCEDURE)

    def choose_procedure(self, kind: FilingKind) -> None:
        """Pick 転入 / 転居 / 転出 / 世帯変更; then the card."""
        self.visit.kind = kind
        self.progress.notice = CardNotice.NONE
        self._go(Step.PLACE_CARD)
        if self.card.card_present:
            self._check_card()

    def reset(self, reason: EndReason) -> None:
        """End the visit: cancel card/print work, wipe every personal datum, back to welcome."""
        self.card.cancel()
        language = self.settings.default_language
        self.visit.wipe()
        self.visit.language = language
        self.progress = Progress()
        self.picker = None
        self.text = None
        self.documents = None
        self.filing = None
        self._adding_member = False
        log.info("visit ended: %s", reason.value)
        for listener in list(self._end_listeners):
            listener(reason)
        self._go(Step.WELCOME if self.in_service else Step.OUT_OF_SERVICE)

    def cancel(self) -> None:
        """The resident pressed "stop"."""
        self.reset(EndReason.CANCELLED)

    def finish(self) -> None:
        """The done screen's "finish" (or its timeout)."""
        self.visits_finished += 1
        self.reset(EndReason.FINISHED)

    # ------------------------------------------------------------------ service state

    def set_in_service(self, ok: bool) -> None:
        """Devices vanished (False) or came back (True); ends any visit when going out."""
        if ok == self.in_service:
            return
        self.in_service = ok
        if self.step is Step.MAINTENANCE:
            return
        if not ok:
            if self.active:
                self.reset(EndReason.OUT_OF_SERVICE)
            else:
                self._go(Step.OUT_OF_SERVICE)
        elif self.step is Step.OUT_OF_SERVICE:
            self._go(Step.WELCOME)

    def set_default_language(self, code: str) -> None:
        """Staff: the language each visit starts in (kept across restarts)."""
        self.settings.default_language = code
        self._save_defaults()
        self.refresh()

    def shift_counter(self, delta: int) -> None:
        """Staff: the counter number residents are sent to (kept across restarts)."""
        current = int(self.settings.counter) if self.settings.counter.isdigit() else 1
        self.settings.counter = str(min(MAX_COUNTER, max(1, current + delta)))
        self._save_defaults()
        self.refresh()

    def _save_defaults(self) -> None:
        if self.defaults_dir is None:
            return
        try:
            save_defaults(
                self.defaults_dir,
                StaffDefaults(self.settings.default_language, self.settings.counter),
            )
        except OSError as err:
            log.error("staff defaults not saved: %s", err.strerror)

    def open_maintenance(self) -> None:
        """Staff entered the PIN: ends any visit."""
        if self.visit.kind is not None or self.visit.members:
            self.reset(EndReason.CANCELLED)
        self._go(Step.MAINTENANCE)

    def close_maintenance(self) -> None:
        """Back to the resident screens."""
        self._go(Step.WELCOME if self.in_service else Step.OUT_OF_SERVICE)

    # ------------------------------------------------------------------ card

    def _on_presence(self, present: bool) -> None:
        if present:
            if self.step is Step.PLACE_CARD:
                self._check_card()
            elif self.step is Step.HOUSEHOLD:
                self.add_member_by_card()
            return
        if self.step in CARD_SWAP_STEPS or not self.active:
            return
        if self.settings.card_removal_ends_visit:
            self.reset(EndReason.CARD_REMOVED)

    def _check_card(self) -> None:
        if self.progress.busy:
            return
        self.progress.busy = True
        self.progress.notice = CardNotice.NONE
        self.refresh()
        self.card.check(self._checked, self._check_failed)

    def _checked(self, check: CardCheck) -> None:
        self.progress.busy = False
        if self._adding_member and check.certificate == self.visit.auth_certificate:
            # the card holder put their own card back (for the binding signature): no PIN
            self._adding_member = False
            self._go(Step.HOUSEHOLD)
            return
        self.progress.tries_left = check.text_pin_tries
        self._route_by_tries(check.text_pin_tries)

    def _route_by_tries(self, tries: int) -> None:
        if tries <= 0:
            self._counter("blocked")
        elif tries == 1:
            self._go(Step.LAST_TRY)
        else:
            self._go(Step.PIN)

    def _check_failed(self, err: BaseException) -> None:
        self.progress.busy = False
        if isinstance(err, NotMyNumberCardError):
            self.progress.notice = CardNotice.NOT_MY_NUMBER
        elif isinstance(err, PinBlockedError):
            self._counter("blocked")
            return
        else:
            self.progress.notice = CardNotice.READ_FAILED
        log.info("card check failed: %s", getattr(err, "code", type(err).__name__))
        self._go(Step.PLACE_CARD)

    def _counter(self, reason: str) -> None:
        self.progress.counter_reason = reason
        self._go(Step.BLOCKED)

    def confirm_last_try(self) -> None:
        """The resident accepts that a wrong PIN now blocks the card."""
        self._go(Step.PIN)

    def submit_pin(self, pin: str) -> None:
        """Four digits entered: verify once and read (off the UI thread)."""
        if len(pin) != PIN_LENGTH or not pin.isdigit() or self.progress.busy:
            return
        self.progress.busy = True
        if not self._adding_member:
            self.visit.pin.set(pin)
        self._go(Step.READING)
        self.card.read(pin, self._read_done, self._read_failed)

    def _read_done(self, record: ResidentRecord) -> None:
        self.progress.busy = False
        info = record.basic_four
        person = PersonDraft(
            name=info.name,
            birth_date=info.birth_date,
            sex=_CARD_SEX.get(info.sex),
            from_chip=True,
            card_address=info.address,
        )
        if self._adding_member:
            self._adding_member = False
            if any(m.from_chip and m.name == person.name and m.birth_date == person.birth_date
                   for m in self.visit.members):  # fmt: skip
                self.progress.notice = CardNotice.SAME_CARD
                self._go(Step.HOUSEHOLD)
                return
            self.visit.members.append(person)
            self._suggest_for_new_member()
            self._go(Step.HOUSEHOLD if person.sex else Step.MEMBER_DETAILS)
            return
        self.visit.members = [person]
        self.visit.old_address = info.address
        self.visit.auth_certificate = record.auth_certificate.der
        self.visit.head_index = 0
        apply_head(self.visit, 0)
        # no confirmation screen in the way: the data read shows on the household list (with
        # "data wrong → counter") and again on the review before anything is printed
        self._after_data()

    def _read_failed(self, err: BaseException) -> None:
        self.progress.busy = False
        if not self._adding_member:
            self.visit.pin.wipe()
        if isinstance(err, WrongPinError):
            self.progress.tries_left = err.tries_left
            self.progress.notice = CardNotice.WRONG_PIN
            self._route_by_tries(err.tries_left)
        elif isinstance(err, PinBlockedError):
            self._counter("blocked")
        elif isinstance(err, NoCardError | CardError):
            self.progress.notice = CardNotice.READ_FAILED
            self._go(Step.PLACE_CARD)
        else:
            raise err

    # ------------------------------------------------------------------ data read

    def confirm_data(self, correct: bool) -> None:
        """The data read from the card is right (continue) or wrong (go to the counter)."""
        if not correct:
            self._counter("data")
            return
        if self.progress.checking_data:
            self.progress.checking_data = False
            self._go(Step.HOUSEHOLD)
            return
        self._after_data()

    def show_card_data(self) -> None:
        """From the household list: the card holder's data as read, in full."""
        self.progress.checking_data = True
        self._go(Step.CONFIRM_DATA)

    def _after_data(self) -> None:
        kind = self.visit.kind
        if kind is FilingKind.MOVE_OUT:
            self.ask_text(TextPurpose.DESTINATION)
        else:
            self.open_address()

    # ------------------------------------------------------------------ address

    def open_address(self) -> None:
        """Start (or restart) the address picker."""
        self.picker = AddressPicker(self.master)
        self._go(Step.ADDRESS)

    def pick_kana_row(self, row: str) -> None:
        """Filter the town list by a kana row (ア, カ, サ…); "" shows all."""
        if self.picker is not None:
            self.picker.kana_row = row
            self.refresh()

    def pick_address(self, key: str) -> None:
        """One picker choice; after the last level, the 方書 keyboard."""
        if self.picker is None:
            return
        address = self.picker.choose(key)
        if address is None:
            self.refresh()
            return
        self.visit.new_address = address
        self.ask_text(TextPurpose.KATAGAKI, self.visit.katagaki)

    def use_parcel(self) -> None:
        """Switch the picker to 地番."""
        if self.picker is not None:
            self.picker.use_parcel()
            self.refresh()

    def address_back(self) -> None:
        """Up one picker level, or back to the previous step at the top."""
        if self.picker is not None and self.picker.back():
            self.refresh()
        else:
            self._go(Step.CONFIRM_DATA)

    def building_suggestions(self) -> list[str]:
        """方書 buildings listed for the chosen address (for the keyboard screen)."""
        if self.visit.new_address is None:
            return []
        return [b.name for b in self.master.katagaki(self.visit.new_address)]

    # ------------------------------------------------------------------ text entry

    def ask_text(
        self, purpose: TextPurpose, value: str = "", member_index: int | None = None
    ) -> None:
        """Open the on-screen keyboard for ``purpose``."""
        self.text = TextRequest(purpose, value, member_index)
        self._go(Step.TEXT_ENTRY)

    def text_done(self, value: str) -> None:
        """The keyboard's OK (an empty value skips optional entries)."""
        request = self.text
        if request is None:
            return
        value = value.strip()
        purpose = request.purpose
        self.text = None
        if purpose is TextPurpose.KATAGAKI:
            self.visit.katagaki = value
            if self.visit.new_address is not None:
                listed = value in self.building_suggestions() or any(
                    value.startswith(b) for b in self.building_suggestions()
                )
                from dataclasses import replace

                self.visit.new_address = replace(
                    self.visit.new_address, katagaki=value, katagaki_listed=listed and bool(value)
                )
            self._next_after_address()
        elif purpose is TextPurpose.DESTINATION:
            if not value:
                self.ask_text(TextPurpose.DESTINATION)
                return
            self.visit.destination = value
            self._next_after_address()
        elif purpose is TextPurpose.MEMBER_NAME:
            if not value:
                self._go(Step.HOUSEHOLD)
                return
            self.visit.members.append(PersonDraft(name=value))
            self.ask_text(TextPurpose.MEMBER_FURIGANA, member_index=len(self.visit.members) - 1)
        elif purpose is TextPurpose.MEMBER_FURIGANA:
            target = request.member_index
            if target is not None and target < len(self.visit.members):
                self.visit.members[target].furigana = value
                self.progress.relationship_index = target
            self._go(Step.MEMBER_DETAILS)
        elif purpose is TextPurpose.EXISTING_HEAD:
            self.visit.existing_head = value
            if value:
                self.visit.household_mode = HouseholdMode.JOIN
                self.visit.head_index = None
                for member in self.visit.members:
                    member.relationship = None
            self._go(Step.HOUSEHOLD)
        elif purpose is TextPurpose.STAFF_PIN:
            if self.staff_pin_ok(value):
                self.open_maintenance()
            else:
                log.warning("wrong staff PIN")
                self._go(Step.WELCOME if self.in_service else Step.OUT_OF_SERVICE)

    def text_cancel(self) -> None:
        """The keyboard's back button."""
        request = self.text
        self.text = None
        if request is None:
            return
        if request.purpose is TextPurpose.KATAGAKI:
            self.open_address()
        elif request.purpose is TextPurpose.DESTINATION:
            self._go(Step.CONFIRM_DATA)
        elif request.purpose is TextPurpose.STAFF_PIN:
            self.close_maintenance()
        elif request.purpose is TextPurpose.MEMBER_FURIGANA and request.member_index is not None:
            del self.visit.members[request.member_index]
            self._go(Step.HOUSEHOLD)
        else:
            self._go(Step.HOUSEHOLD)

    def _next_after_address(self) -> None:
        if self.progress.editing_from_review:
            self.progress.editing_from_review = False
            self.open_review()
        else:
            self._go(Step.HOUSEHOLD)

    # ------------------------------------------------------------------ household

    def add_member_by_card(self) -> None:
        """The next member places their own card (or is about to)."""
        self._adding_member = True
        self.progress.notice = CardNotice.NONE
        self.progress.tries_left = None
        self._go(Step.PLACE_CARD)
        if self.card.card_present:
            self._check_card()

    def cancel_add_member(self) -> None:
        """Back from placing another member's card."""
        self._adding_member = False
        self.card.cancel()
        self.progress.busy = False
        self._go(Step.HOUSEHOLD)

    @property
    def adding_member(self) -> bool:
        """True while the card steps read a further member."""
        return self._adding_member

    def add_member_by_hand(self) -> None:
        """Type a member's name (then furigana, birth date and sex)."""
        self.ask_text(TextPurpose.MEMBER_NAME)

    def set_member_details(self, index: int, birth: date, sex: Sex) -> None:
        """Birth date and sex of a member typed by hand."""
        member = self.visit.members[index]
        member.birth_date = birth
        member.sex = sex
        self._suggest_for_new_member()
        self._go(Step.HOUSEHOLD)

    def remove_member(self, index: int) -> None:
        """Drop a further member (the card holder stays)."""
        if 0 < index < len(self.visit.members):
            del self.visit.members[index]
            if self.visit.head_index is not None and self.visit.head_index >= len(
                self.visit.members
            ):
                apply_head(self.visit, 0)
            self.refresh()

    def _suggest_for_new_member(self) -> None:
        if self.visit.household_mode is HouseholdMode.WHOLE and self.visit.head_index is not None:
            from kiosk.flows.build import suggest_relationship

            head = self.visit.members[self.visit.head_index]
            member = self.visit.members[-1]
            if member.relationship is None and member is not head:
                member.relationship = suggest_relationship(head, member)

    def set_head(self, index: int) -> None:
        """Make member ``index`` the 世帯主 (全部)."""
        self.visit.household_mode = HouseholdMode.WHOLE
        self.visit.existing_head = ""
        apply_head(self.visit, index)
        self.refresh()

    def join_existing_household(self) -> None:
        """一部: declare the existing 世帯主 by name."""
        self.ask_text(TextPurpose.EXISTING_HEAD, self.visit.existing_head)

    def edit_relationship(self, index: int) -> None:
        """Open the 続柄 picker for one member."""
        self.progress.relationship_index = index
        self.progress.chain = []
        self._go(Step.RELATIONSHIP)

    def chain_add(self, link: str) -> None:
        """Append one link to the chain builder."""
        if len(self.progress.chain) < 4:
            self.progress.chain.append(link)
        self.refresh()

    def chain_clear(self) -> None:
        """Empty the chain builder."""
        self.progress.chain = []
        self.refresh()

    def set_relationship(self, relationship: Relationship) -> None:
        """Store the picked 続柄 for the member being edited."""
        index = self.progress.relationship_index
        if index is not None and index < len(self.visit.members):
            self.visit.members[index].relationship = relationship
        self.progress.relationship_index = None
        self.progress.chain = []
        self._go(Step.HOUSEHOLD)

    def back_to_household(self) -> None:
        """Leave the 続柄 picker or member details without a change."""
        self.progress.chain = []
        self.progress.relationship_index = None
        self._go(Step.HOUSEHOLD)

    def ask_staff_pin(self) -> None:
        """The hidden gesture: ask for the staff PIN."""
        self.ask_text(TextPurpose.STAFF_PIN)

    def household_missing(self) -> list[int]:
        """Indexes of members whose 続柄 or details are still missing."""
        return [
            i for i, m in enumerate(self.visit.members) if m.relationship is None or not m.complete
        ]

    def household_done(self) -> None:
        """Household complete → related-procedure questions (or back to review)."""
        if self.household_missing():
            self.refresh()
            return
        self.progress.editing_from_review = False
        # the related questions show on the review with "not sure" preselected (one touch to
        # change there, or all of them on the related screen): no extra "next" on the way
        self._prepare_questions()
        self.open_review()

    # ------------------------------------------------------------------ related procedures

    def _prepare_questions(self) -> None:
        draft = self._draft_filing()
        questions = suggested_procedures(draft, today=self._today()) if draft else []
        self.progress.questions = questions
        for procedure in list(self.visit.answers):
            if procedure not in questions:
                del self.visit.answers[procedure]
        for procedure in questions:
            self.visit.answers.setdefault(procedure, Answer.UNSURE)

    def open_related(self) -> None:
        """Ask about the procedures that fit this household."""
        self._prepare_questions()
        self._go(Step.RELATED)

    def answer(self, procedure: RelatedProcedure, answer: Answer) -> None:
        """Record one answer."""
        self.visit.answers[procedure] = answer
        self.refresh()

    def related_done(self) -> None:
        """→ review."""
        self.open_review()

    # ------------------------------------------------------------------ review

    def _draft_filing(self) -> Filing | None:
        try:
            return build_filing(self.visit, ward_code=self.settings.ward_code, today=self._today())
        except ValueError:
            return None

    def open_review(self) -> None:
        """Everything on one screen; validation errors shown there."""
        self.filing = self._draft_filing()
        findings: list[Finding] = []
        errors: list[str] = []
        if self.filing is None:
            errors.append(VISIT_INCOMPLETE)
        else:
            every = validate(self.filing, self.master, today=self._today())
            findings = [f for f in every if f.severity is Severity.ERROR]
            errors = [f.code for f in findings]
        self.progress.errors = errors
        self.progress.findings = findings
        self._go(Step.REVIEW)

    def edit(self, section: str) -> None:
        """Jump from review to a part of the visit; come back to review afterwards."""
        self.progress.editing_from_review = True
        if section == "address":
            if self.visit.kind is FilingKind.MOVE_OUT:
                self.ask_text(TextPurpose.DESTINATION, self.visit.destination)
            else:
                self.open_address()
        elif section == "katagaki":
            self.ask_text(TextPurpose.KATAGAKI, self.visit.katagaki)
        elif section == "household":
            self._go(Step.HOUSEHOLD)
        elif section == "related":
            self.progress.editing_from_review = False
            self.open_related()
        else:
            self.progress.editing_from_review = False

    def shift_moved_on(self, days: int) -> None:
        """Change the moving date by ``days`` (review screen buttons)."""
        today = self._today()
        current = self.visit.moved_on or today
        self.visit.moved_on = current + timedelta(days=days)
        self.open_review()

    # ------------------------------------------------------------------ print

    def print_filing(self) -> None:
        """Sign with the card (if still there), enqueue in the outbox, then print."""
        if self.filing is None or self.progress.errors or self.progress.busy:
            return
        self.progress.busy = True
        self._go(Step.PRINTING)
        filing = self.filing
        certificate = self.visit.auth_certificate
        if self.visit.pin and certificate and self.card.card_present:
            from kiosk.forms.codec import canonical_bytes

            self.card.sign(
                self.visit.pin.reveal(),
                canonical_bytes(filing),
                certificate,
                lambda sig: self._submit(filing, certificate, sig),
                lambda err: self._submit(filing, None, None, err),
            )
        else:
            self._submit(filing, None, None)

    def _submit(
        self,
        filing: Filing,
        certificate: bytes | None,
        signature: bytes | None,
        sign_error: BaseException | None = None,
    ) -> None:
        self.visit.pin.wipe()
        if sign_error is not None:
            log.warning("resident binding skipped: %s", getattr(sign_error, "code", "error"))
        self.paper.submit(filing, certificate, signature, self._submitted, self._submit_failed)

    def _submitted(self, docs: RenderedPaper) -> None:
        self.visit.submitted = True
        self.documents = docs
        self._print()

    def _submit_failed(self, err: BaseException) -> None:
        # The outbox could not take it (not enrolled, disk): staff see it; the paper still works.
        log.error("filing not enqueued: %s", getattr(err, "code", type(err).__name__))
        self.progress.busy = False
        self.progress.print_problem = "outbox"
        self._go(Step.PRINT_PROBLEM)

    def _print(self) -> None:
        if self.documents is None:
            return
        self.progress.busy = True
        self.paper.print_documents(self.documents, self._printed, self._print_failed)

    def _printed(self, _result: None) -> None:
        self.progress.busy = False
        self.progress.print_problem = ""
        self._go(Step.DONE)

    def _print_failed(self, err: BaseException) -> None:
        self.progress.busy = False
        if isinstance(err, PaperOutError):
            self.progress.print_problem = PrintProblem.PAPER_OUT
        elif isinstance(err, PrinterError):
            self.progress.print_problem = PrintProblem.OFFLINE
        else:
            self.progress.print_problem = PrintProblem.OFFLINE
            log.error("print failed: %s", type(err).__name__)
        self._go(Step.PRINT_PROBLEM)

    def retry_print(self) -> None:
        """Paper refilled / printer back: print the kept documents again."""
        if self.documents is None:
            if self.filing is not None:
                self.progress.busy = False
                self.progress.print_problem = ""
                self._go(Step.PRINTING)
                self.progress.busy = True
                self.paper.submit(self.filing, None, None, self._submitted, self._submit_failed)
            return
        self.progress.print_problem = ""
        self._go(Step.PRINTING)
        self._print()
