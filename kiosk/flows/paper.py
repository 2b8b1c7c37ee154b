"""Outbox + printing on the paper worker: enqueue the signed filing, render, print."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.flows.rendering import RenderedPaper, render_in_child
from kiosk.flows.worker import Failed, Post, Worker
from kiosk.forms.codec import canonical_bytes
from kiosk.forms.model import Filing
from kiosk.hardware.printer.port import PrinterPort
from kiosk.hardware.printer.status import PrinterStatus

if TYPE_CHECKING:
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
        self._worker = Worker("paper", post)

    def submit(
        self,
        filing: Filing,
        certificate: bytes | None,
        signature: bytes | None,
        done: Callable[[RenderedPaper], None],
        failed: Failed,
    ) -> threading.Event:
        """Enqueue the filing, then render its documents (done gets them)."""

        def job(_cancel: threading.Event) -> RenderedPaper:
            try:
                self.submitter.submit(filing, certificate, signature)
            except (KioskError, OSError) as err:
                # the QR on the paper still carries the filing; staff see the failure count
                self.enqueue_failures += 1
                log.error("filing not enqueued: %s", getattr(err, "code", type(err).__name__))
            return render_in_child(
                canonical_bytes(filing),
                self.submitter.kiosk_id,
                self.submitter.settings.device_key_path,
                self.printer.profile.name,
            )

        return self._worker.submit(job, done, failed)

    def print_documents(
        self, docs: RenderedPaper, done: Callable[[None], None], failed: Failed
    ) -> threading.Event:
        """Print the receipt (status checked first: typed errors for paper-out / offline)."""

        def job(_cancel: threading.Event) -> None:
            self.printer.print_job(docs.escpos)
            if self._archive is not None:
                docs.write(self._archive / docs.filing_id)

        return self._worker.submit(job, done, failed)

    def status(self, done: Callable[[PrinterStatus], None], failed: Failed) -> threading.Event:
        """Query the printer's status (maintenance)."""
        return self._worker.submit(lambda _c: self.printer.status(), done, failed)

    def test_print(self, job_bytes: bytes, done: Callable[[None], None], failed: Failed) -> None:
        """Print raw ESC/POS (maintenance test page)."""
        self._worker.submit(lambda _c: self.printer.print_job(job_bytes), done, failed)

    def run(self, fn: Callable[[], object], done: Callable[[object], None], failed: Failed) -> None:
        """Run any other disk work (outbox reads for staff) on this worker."""
        self._worker.submit(lambda _c: fn(), done, failed)

    def stop(self) -> None:
        """End the worker thread."""
        self._worker.stop()
