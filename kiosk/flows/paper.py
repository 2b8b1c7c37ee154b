"""Outbox + printing on the paper worker: enqueue the signed filing, render, print."""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.flows.worker import Done, Failed, Post, Worker
from kiosk.hardware.printer.errors import PaperOutError
from kiosk.hardware.printer.port import PrinterPort
from kiosk.hardware.printer.status import PrinterStatus

if TYPE_CHECKING:
    # the outcomes are imported by the first job (start-up time, issue 14)
    from kiosk.flows.outcomes import EnqueueOutcome, PrintOutcome, RenderOutcome, Signed
    from kiosk.flows.rendering import RenderedPaper
    from kiosk.forms.model import Filing
    from server_sync.config import SyncSettings

log = logging.getLogger(__name__)


class FilingSubmitter:
    """Signs the envelope with the device key (+ the card binding) and enqueues it locally."""

    def __init__(self, settings: SyncSettings) -> None:
        self.settings = settings

    @property
    def kiosk_id(self) -> str:
        """The enrolled kiosk id (or a placeholder before enrolment)."""
        return self.settings.kiosk_id or "unenrolled"

    def submit(self, filing: Filing, certificate: bytes | None, signature: bytes | None) -> None:
        """One local transaction: the envelope row in the outbox."""
        from kiosk.forms.codec import canonical_bytes  # not before the first filing (start-up)
        from server_sync.submit import enqueue_filing

        enqueue_filing(
            self.settings,
            canonical_bytes(filing),
            filing_id=filing.id,
            resident_certificate=certificate if signature else None,
            resident_signature=signature if certificate else None,
            created_at=datetime.now(UTC),
        )

    def backlog(self) -> int:
        """Filings not yet delivered to the intake."""
        from server_sync.devicekey import load_or_create_outbox_key
        from server_sync.outbox import Outbox

        key = load_or_create_outbox_key(self.settings.outbox_key_path)
        with Outbox.open(self.settings.outbox_path, key) as box:
            return box.stats().backlog


class PaperService:
    """The printer and the outbox, on one worker thread of their own."""

    def __init__(
        self,
        printer: PrinterPort,
        submitter: FilingSubmitter,
        post: Post,
        *,
        archive_dir: Path | None = None,
    ) -> None:
        self.printer = printer
        self.submitter = submitter
        self._archive = archive_dir
        self.enqueue_failures = 0
        #: told "ok" / "paper_out" / "offline" after each print (the fleet view's printer state)
        self.on_printer_state: Callable[[str], None] | None = None
        self._worker = Worker("paper", post)

    def _printer_state(self, state: str) -> None:
        if self.on_printer_state is not None:
            self.on_printer_state(state)

    def _printed(self, done: Callable[[PrintOutcome], None]) -> Callable[[PrintOutcome], None]:
        """``done``, after telling the printer state (on the UI thread, like ``done``)."""

        def tell(outcome: PrintOutcome) -> None:
            from kiosk.flows.outcomes import PaperOut, Printed

            match outcome:
                case Printed():
                    self._printer_state("ok")
                case PaperOut():
                    self._printer_state("paper_out")
                case _:
                    self._printer_state("offline")
            done(outcome)

        return tell

    def enqueue(
        self,
        filing: Filing,
        signed: Signed | None,
        done: Callable[[EnqueueOutcome], None],
    ) -> threading.Event:
        """Put the signed envelope into the outbox (one local transaction), once per filing."""

        def job(_cancel: threading.Event) -> EnqueueOutcome:
            from kiosk.flows.outcomes import Enqueued, error_code

            try:
                self.submitter.submit(
                    filing,
                    signed.certificate if signed else None,
                    signed.signature if signed else None,
                )
            except (KioskError, OSError, sqlite3.Error) as err:
                # the QR on the paper still carries the filing; staff see the failure count
                self.enqueue_failures += 1
                log.error("filing not enqueued: %s", error_code(err))
                return outbox_outcome(err)
            return Enqueued(filing.id)

        return self._worker.submit(job, _typed(done), lambda err: done(outbox_outcome(err)))

    def render(self, filing: Filing, done: Callable[[RenderOutcome], None]) -> threading.Event:
        """Draw receipt and form in a child process (bytes come back)."""

        def job(_cancel: threading.Event) -> RenderOutcome:
            # imported on the first render: not on the way to the welcome screen
            from kiosk.flows.outcomes import Rendered
            from kiosk.flows.rendering import render_in_child
            from kiosk.forms.codec import canonical_bytes

            return Rendered(
                render_in_child(
                    canonical_bytes(filing),
                    self.submitter.kiosk_id,
                    self.submitter.settings.device_key_path,
                    self.printer.profile.name,
                )
            )

        def failed(err: BaseException) -> None:
            from kiosk.flows.outcomes import RenderFailed, error_code

            log.error("render failed: %s", error_code(err))
            done(RenderFailed(error_code(err)))

        return self._worker.submit(job, _typed(done), failed)

    def print_documents(
        self, docs: RenderedPaper, done: Callable[[PrintOutcome], None]
    ) -> threading.Event:
        """Print the receipt (status checked first: typed outcomes for paper-out / offline)."""

        def job(_cancel: threading.Event) -> PrintOutcome:
            from kiosk.flows.outcomes import Printed

            self.printer.print_job(docs.escpos)
            if self._archive is not None:
                docs.write(self._archive / docs.filing_id)
            return Printed()

        told = self._printed(done)
        return self._worker.submit(job, _typed(told), lambda err: told(print_outcome(err)))

    def status(self, done: Callable[[PrinterStatus], None], failed: Failed) -> threading.Event:
        """Query the printer's status (maintenance)."""
        return self._worker.submit(lambda _c: self.printer.status(), done, failed)

    def test_print(self, job_bytes: bytes, done: Callable[[PrintOutcome], None]) -> None:
        """Print raw ESC/POS (maintenance test page)."""

        def job(_cancel: threading.Event) -> PrintOutcome:
            from kiosk.flows.outcomes import Printed

            self.printer.print_job(job_bytes)
            return Printed()

        told = self._printed(done)
        self._worker.submit(job, _typed(told), lambda err: told(print_outcome(err)))

    def run(self, fn: Callable[[], object], done: Callable[[object], None], failed: Failed) -> None:
        """Run any other disk work (outbox reads for staff) on this worker."""
        self._worker.submit(lambda _c: fn(), done, failed)

    def stop(self) -> None:
        """End the worker thread."""
        self._worker.stop()


#: SQLite's words for a full disk (it reports SQLITE_FULL as an OperationalError)
_SQLITE_FULL = "database or disk is full"


def outbox_outcome(err: BaseException) -> EnqueueOutcome:
    """The typed outcome of a failed enqueue: a full disk, or any other refusal."""
    from kiosk.flows.outcomes import OutboxFull, OutboxRefused, error_code

    full = isinstance(err, OSError) and err.errno == errno.ENOSPC
    if full or (isinstance(err, sqlite3.Error) and _SQLITE_FULL in str(err)):
        return OutboxFull()
    return OutboxRefused(error_code(err))


def print_outcome(err: BaseException) -> PrintOutcome:
    """The typed outcome of a failed print job."""
    from kiosk.flows.outcomes import PaperOut, PrinterOffline, error_code

    if isinstance(err, PaperOutError):
        return PaperOut()
    log.error("print failed: %s", error_code(err))
    return PrinterOffline(error_code(err))


def _typed(done: Callable[..., None]) -> Done:
    return done
