"""Maintenance behind the staff PIN: device and link status, test print, test card read.

Everything blocking runs on the paper/card workers; results come back on the UI thread and
re-render the maintenance (or welcome) screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.flows.assembly import Kiosk
from kiosk.flows.outcomes import (
    CardLocked,
    CardRecognised,
    CardUnreadable,
    CheckOutcome,
    NotMyNumberCard,
    PaperOut,
    Printed,
    PrinterOffline,
    PrintOutcome,
    error_code,
)
from kiosk.flows.staff import LinkState, StaffStatus, collect
from kiosk.flows.steps import Step
from kiosk.hardware.printer.status import PrinterStatus

if TYPE_CHECKING:
    from kiosk.staff_diagnosis import StandDiagnosis

log = logging.getLogger(__name__)


class StaffPanel:
    """The maintenance screen's status lines and actions."""

    def __init__(
        self, kiosk: Kiosk, *, reader_ok: Callable[[], bool], on_link: Callable[[bool], None]
    ) -> None:
        self.kiosk = kiosk
        self._reader_ok = reader_ok
        self._on_link = on_link
        self.status: StaffStatus | None = None
        self.printer_text = "-"
        self.reader_text = "-"
        self.test_result = ""
        self._diagnosis: StandDiagnosis | None = None

    @property
    def diagnosis(self) -> StandDiagnosis:
        """The on-screen diagnosis, made on first use: its checks import the HTTP stack, which
        the welcome screen's status refresh (this panel) does not need."""
        if self._diagnosis is None:
            from kiosk.staff_diagnosis import StandDiagnosis

            self._diagnosis = StandDiagnosis(self.kiosk, self._reader_ok)
        return self._diagnosis

    def refresh(self) -> None:
        """Collect link/backlog/master status and the printer status off the UI thread."""
        kiosk = self.kiosk
        reader = kiosk.card.reader
        self.reader_text = f"{reader.describe()} ({'OK' if self._reader_ok() else 'missing'})"
        kiosk.paper.run(
            lambda: collect(kiosk.sync, kiosk.master), self._collected, self._collect_failed
        )
        kiosk.paper.status(self._printer_status, self._printer_failed)

    def _collected(self, status: object) -> None:
        if isinstance(status, StaffStatus):
            self.status = status
            # the welcome screen shows the link (the staff corner's mark): the app rebuilds it
            # when that changes, not after every status check (issue 14: start-up)
            self._on_link(status.link is not LinkState.DOWN)
        self._refresh_if(Step.MAINTENANCE)

    def _collect_failed(self, err: BaseException) -> None:
        log.warning("staff status failed: %s", type(err).__name__)

    def _printer_status(self, status: PrinterStatus) -> None:
        self.printer_text = "OK" if status.ready else str(status)
        self._refresh_if(Step.MAINTENANCE)

    def _printer_failed(self, err: BaseException) -> None:
        self.printer_text = error_code(err)
        self._refresh_if(Step.MAINTENANCE)

    def _refresh_if(self, *steps: Step) -> None:
        if self.kiosk.flow.step in steps:
            self.kiosk.flow.refresh()

    def test_print(self) -> None:
        """Print a small test page."""
        from PIL import Image, ImageDraw

        from kiosk.hardware.printer.escpos_adapter import encode_image_job

        profile = self.kiosk.paper.printer.profile
        image = Image.new("1", (profile.width_dots, 120), 1)
        ImageDraw.Draw(image).text((20, 40), "KIOSK TEST PRINT", fill=0)
        job = encode_image_job(image, profile)
        self.kiosk.paper.test_print(job, self._test_printed)

    def _test_printed(self, outcome: PrintOutcome) -> None:
        match outcome:
            case Printed():
                self.test_result = "test print: OK"
                self.refresh()
                return
            case PaperOut():
                self.test_result = "test print: printer_paper_out"
            case PrinterOffline(code=code):
                self.test_result = f"test print: {code}"
        self._refresh_if(Step.MAINTENANCE)

    def diagnose(self) -> None:
        """Open the self-check screen and run every ``diagnose`` check (off the UI thread)."""
        self.kiosk.flow.staff.open_diagnose()
        self.diagnosis.run(lambda: self._refresh_if(Step.DIAGNOSE))
        self._refresh_if(Step.DIAGNOSE)

    def test_card(self) -> None:
        """Recognise the card on the reader and show its PIN tries (no PIN used)."""
        self.kiosk.card.check(self._card_tested)

    def _card_tested(self, outcome: CheckOutcome) -> None:
        match outcome:
            case CardRecognised(text_pin_tries=text, auth_pin_tries=auth):
                self.test_result = f"test card: OK, tries {text}/{auth}"
            case NotMyNumberCard():
                self.test_result = "test card: not_my_number_card"
            case CardLocked():
                self.test_result = "test card: pin_blocked"
            case CardUnreadable(code=code):
                self.test_result = f"test card: {code}"
        self._refresh_if(Step.MAINTENANCE)
