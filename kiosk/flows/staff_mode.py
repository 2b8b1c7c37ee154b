"""The staff part: the hidden PIN prompt, maintenance, in/out of service, the staff defaults."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.flows.nav import Navigator
from kiosk.flows.staff_defaults import MAX_COUNTER, StaffDefaults, save_defaults
from kiosk.flows.steps import EndReason, Step, TextPurpose
from kiosk.flows.text_entry import TextEntry

log = logging.getLogger(__name__)


@dataclass(slots=True)
class FlowSettings:
    """Behaviour switches from the kiosk configuration."""

    counter: str = "1"
    ward_code: str = ""
    card_removal_ends_visit: bool = True
    #: seconds the "card was taken off" pause waits for the card before the visit is wiped
    card_removed_wipe_s: float = 30.0
    default_language: str = "ja"
    #: the card as 印鑑登録証 (needs the ward's 条例: off unless the ward turns it on)
    seal_card_binding_enabled: bool = False
    #: 本籍地利用登録 for コンビニ交付 of 戸籍 certificates
    honseki_registration_enabled: bool = True


class StaffMode:
    """Maintenance and the service state; ends a visit when the kiosk goes out of service."""

    def __init__(
        self,
        nav: Navigator,
        settings: FlowSettings,
        text: TextEntry,
        *,
        end_visit: Callable[[EndReason], None],
        visit_active: Callable[[], bool],
        visit_started: Callable[[], bool],
    ) -> None:
        self._nav = nav
        self.settings = settings
        self._text = text
        self._end_visit = end_visit
        self._visit_active = visit_active
        self._visit_started = visit_started
        self.in_service = True
        self.pin_ok: Callable[[str], bool] = lambda _pin: False
        #: where staff defaults are saved (None: not persisted, e.g. unit tests)
        self.defaults_dir: Path | None = None

    @property
    def resting_step(self) -> Step:
        """Where the kiosk waits between visits."""
        return Step.WELCOME if self.in_service else Step.OUT_OF_SERVICE

    def set_in_service(self, ok: bool) -> None:
        """Devices vanished (False) or came back (True); ends any visit when going out."""
        if ok == self.in_service:
            return
        self.in_service = ok
        step = self._nav.step
        if step in (Step.MAINTENANCE, Step.DIAGNOSE):
            return
        if not ok:
            if self._visit_active():
                self._end_visit(EndReason.OUT_OF_SERVICE)
            else:
                self._nav.go(Step.OUT_OF_SERVICE)
        elif step is Step.OUT_OF_SERVICE:
            self._nav.go(Step.WELCOME)

    def ask_pin(self) -> None:
        """The hidden gesture: ask for the staff PIN."""
        self._text.ask(TextPurpose.STAFF_PIN, "", self._pin_typed, self.close_maintenance)

    def _pin_typed(self, value: str) -> None:
        if self.pin_ok(value):
            self.open_maintenance()
        else:
            log.warning("wrong staff PIN")
            self._nav.go(self.resting_step)

    def open_maintenance(self) -> None:
        """Staff entered the PIN: ends any visit."""
        if self._visit_started():
            self._end_visit(EndReason.CANCELLED)
        self._nav.go(Step.MAINTENANCE)

    def close_maintenance(self) -> None:
        """Back to the resident screens."""
        self._nav.go(self.resting_step)

    def open_diagnose(self) -> None:
        """The stand's self-check (from maintenance only)."""
        if self._nav.step is Step.MAINTENANCE:
            self._nav.go(Step.DIAGNOSE)

    def close_diagnose(self) -> None:
        """Back to maintenance."""
        self._nav.go(Step.MAINTENANCE)

    def set_default_language(self, code: str) -> None:
        """The language each visit starts in (kept across restarts)."""
        self.settings.default_language = code
        self._save()
        self._nav.refresh()

    def shift_counter(self, delta: int) -> None:
        """The counter number residents are sent to (kept across restarts)."""
        current = int(self.settings.counter) if self.settings.counter.isdigit() else 1
        self.settings.counter = str(min(MAX_COUNTER, max(1, current + delta)))
        self._save()
        self._nav.refresh()

    def _save(self) -> None:
        if self.defaults_dir is None:
            return
        try:
            save_defaults(
                self.defaults_dir,
                StaffDefaults(self.settings.default_language, self.settings.counter),
            )
        except OSError as err:
            log.error("staff defaults not saved: %s", err.strerror)
