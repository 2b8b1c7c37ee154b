"""The printer port every printer implementation (escpos adapter, memory, folder) satisfies."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from kiosk.hardware.printer.profiles import PrinterProfile
from kiosk.hardware.printer.status import PrinterStatus


class PrinterPort(Protocol):
    """A receipt printer that takes finished ESC/POS jobs."""

    @property
    def profile(self) -> PrinterProfile:
        """The model's paper width and resolution (render at exactly this width)."""
        ...

    def status(self) -> PrinterStatus:
        """Query online / cover / paper state (DLE EOT 1, 2, 4) with a timeout."""
        ...

    def print_job(self, job: bytes) -> None:
        """Check status, then send the whole job; raises a typed PrinterError when not ready."""
        ...

    def close(self) -> None:
        """Release the device; the object may not be used afterwards."""
        ...

    def __enter__(self) -> PrinterPort: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
