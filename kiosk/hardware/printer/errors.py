"""Typed printer errors; data rides on attributes, never only in the message."""

from __future__ import annotations

from kiosk.errors import HardwareError


class PrinterError(HardwareError):
    """The receipt printer failed, is missing or refused the job."""

    code = "printer_error"


class PrinterConfigError(PrinterError):
    """The printer configuration is invalid (unknown kind, profile, missing field)."""

    code = "printer_config"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"printer config {field}: {problem}")
        self.field = field
        self.problem = problem


class PrinterUnavailableError(PrinterError):
    """The printer could not be opened (unplugged, wrong address, no permission)."""

    code = "printer_unavailable"

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"printer {target} unavailable: {reason}")
        self.target = target
        self.reason = reason


class PrinterTimeoutError(PrinterError):
    """A read or write to the printer did not finish within its timeout."""

    code = "printer_timeout"

    def __init__(self, operation: str, timeout_s: float) -> None:
        super().__init__(f"printer {operation} timed out after {timeout_s:g} s")
        self.operation = operation
        self.timeout_s = timeout_s


class PrinterOfflineError(PrinterError):
    """The printer reports offline (or does not answer a status request)."""

    code = "printer_offline"

    def __init__(self, status_byte: int | None) -> None:
        shown = "no answer" if status_byte is None else f"0x{status_byte:02x}"
        super().__init__(f"printer offline ({shown})")
        self.status_byte = status_byte


class PaperOutError(PrinterError):
    """The paper roll is empty."""

    code = "printer_paper_out"

    def __init__(self, status_byte: int) -> None:
        super().__init__(f"printer paper out (0x{status_byte:02x})")
        self.status_byte = status_byte


class CoverOpenError(PrinterError):
    """The printer cover is open."""

    code = "printer_cover_open"

    def __init__(self, status_byte: int) -> None:
        super().__init__(f"printer cover open (0x{status_byte:02x})")
        self.status_byte = status_byte


class PrinterStatusError(PrinterError):
    """A status answer could not be understood (wrong fixed bits, empty)."""

    code = "printer_bad_status"

    def __init__(self, request: int, answer: bytes) -> None:
        super().__init__(f"bad status answer to DLE EOT {request}: {answer.hex() or 'empty'}")
        self.request = request
        self.answer = answer
