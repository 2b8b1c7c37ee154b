"""Shared job logic for byte-level printers: status check before and after, then write."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from types import TracebackType

from kiosk.hardware.printer.profiles import PrinterProfile
from kiosk.hardware.printer.status import (
    REQ_OFFLINE_CAUSE,
    REQ_PAPER,
    REQ_PRINTER,
    PrinterStatus,
    decode_status,
    raise_unless_ready,
    status_request,
)
from kiosk.log import TRAFFIC

log = logging.getLogger(__name__)


class BytePrinter(ABC):
    """A printer reached by writing bytes and (optionally) reading status answers."""

    def __init__(self, profile: PrinterProfile, *, can_read_status: bool) -> None:
        self._profile = profile
        self._can_read_status = can_read_status

    @property
    def profile(self) -> PrinterProfile:
        """The model's paper width and resolution."""
        return self._profile

    @abstractmethod
    def _write(self, data: bytes) -> None:
        """Send bytes, raising PrinterTimeoutError / PrinterUnavailableError on failure."""

    @abstractmethod
    def _query(self, request: bytes) -> bytes:
        """Send one DLE EOT request and return the answer (raise on timeout)."""

    def status(self) -> PrinterStatus:
        """Query DLE EOT 1, 2 and 4; write-only printers report an unknown status."""
        if not self._can_read_status:
            return PrinterStatus.unknown()
        answers = [
            self._query(status_request(n)) for n in (REQ_PRINTER, REQ_OFFLINE_CAUSE, REQ_PAPER)
        ]
        return decode_status(*answers)

    def print_job(self, job: bytes) -> None:
        """Refuse when not ready (nothing written), send the job, then re-check the status."""
        raise_unless_ready(self.status())
        log.log(TRAFFIC, "printer job %d bytes", len(job))
        self._write(job)
        raise_unless_ready(self.status())

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the device (default: nothing to release)."""

    def __enter__(self) -> BytePrinter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
