"""``diagnose`` on the stand: the same checks as ``python -m kiosk.tech diagnose``, run from the
staff menu as the kiosk user (no shell, no sudo on a stand).

The card reader and the printer are answered by the running app instead of opening the devices a
second time: the reader it holds (and whether it is plugged in), a status query on its printer.
Everything runs on the paper worker, so a check never overlaps a print.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from kiosk.flows.assembly import Kiosk
from kiosk.tech.checks import (
    REMEDY_PRINTER,
    REMEDY_READER,
    CheckResult,
    CheckStatus,
    DiagnoseContext,
    default_checks,
    run_checks,
)

log = logging.getLogger(__name__)


def app_reader_check(kiosk: Kiosk, reader_ok: Callable[[], bool]) -> Callable[[], CheckResult]:
    """The reader the app uses, present or not."""

    def check() -> CheckResult:
        name = kiosk.card.reader.describe()
        if reader_ok():
            return CheckResult("card reader", CheckStatus.OK, name)
        return CheckResult("card reader", CheckStatus.FAIL, f"{name}: not present", REMEDY_READER)

    return check


def app_printer_check(kiosk: Kiosk) -> Callable[[], CheckResult]:
    """A status query on the app's own printer."""

    def check() -> CheckResult:
        printer = kiosk.paper.printer
        try:
            status = printer.status()
        except Exception as err:  # any driver failure is a finding, not a crash
            detail = f"{printer.profile.name}: {type(err).__name__}"
            return CheckResult("printer", CheckStatus.FAIL, detail, REMEDY_PRINTER)
        if not status.known:
            return CheckResult("printer", CheckStatus.OK, f"{printer.profile.name}: no status")
        if not status.ready:
            detail = f"{printer.profile.name}: {status}"
            return CheckResult("printer", CheckStatus.FAIL, detail, REMEDY_PRINTER)
        detail = f"{printer.profile.name}: online, paper {status.paper.value}"
        return CheckResult("printer", CheckStatus.OK, detail)

    return check


class StandDiagnosis:
    """The last on-screen diagnosis: running, or its results."""

    def __init__(self, kiosk: Kiosk, reader_ok: Callable[[], bool]) -> None:
        self._kiosk = kiosk
        self._reader_ok = reader_ok
        self.running = False
        self.results: list[CheckResult] = []

    def context(self) -> DiagnoseContext:
        """The stand's configuration (``KIOSK_CONFIG``) and the app's own state folder."""
        return DiagnoseContext(state_dir=Path(self._kiosk.sync.state_dir))

    def checks(self) -> list[Callable[[], CheckResult]]:
        """``diagnose``'s checks with the reader and printer answered by the app."""
        return default_checks(
            self.context(),
            reader=app_reader_check(self._kiosk, self._reader_ok),
            printer=app_printer_check(self._kiosk),
            display=lambda: CheckResult("display", CheckStatus.OK, "showing this screen"),
        )

    def run(self, done: Callable[[], None]) -> None:
        """Run every check on the paper worker; ``done`` on the UI thread."""
        if self.running:
            return
        self.running = True
        self.results = []
        checks = self.checks()

        def finished(results: object) -> None:
            self.running = False
            self.results = list(results) if isinstance(results, list) else []
            done()

        def failed(err: BaseException) -> None:
            log.error("diagnosis failed: %s", type(err).__name__)
            self.running = False
            done()

        self._kiosk.paper.run(lambda: run_checks(checks), finished, failed)
