"""Real-time status (DLE EOT n) requests and pure decoding of their one-byte answers.

Bit meanings follow Epson's ESC/POS reference for ``DLE EOT``: every answer has bits 1 and 4 set
and bits 0 and 7 clear; an answer violating that is not a status byte.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kiosk.hardware.printer.errors import (
    CoverOpenError,
    PaperOutError,
    PrinterOfflineError,
    PrinterStatusError,
)

DLE = 0x10
EOT = 0x04

#: DLE EOT n: which status to transmit
REQ_PRINTER = 1
REQ_OFFLINE_CAUSE = 2
REQ_ERROR_CAUSE = 3
REQ_PAPER = 4

FIXED_MASK = 0b1001_0011
FIXED_VALUE = 0b0001_0010

BIT_OFFLINE = 0b0000_1000  # n=1
BIT_WAITING_RECOVERY = 0b0010_0000  # n=1
BIT_COVER_OPEN = 0b0000_0100  # n=2
BIT_FEED_BUTTON = 0b0000_1000  # n=2
BIT_STOPPED_PAPER_END = 0b0010_0000  # n=2
BIT_ERROR = 0b0100_0000  # n=2
BITS_NEAR_END = 0b0000_1100  # n=4
BITS_PAPER_END = 0b0110_0000  # n=4


def status_request(n: int) -> bytes:
    """The bytes of the real-time status request DLE EOT n."""
    return bytes((DLE, EOT, n))


class PaperLevel(enum.Enum):
    """Roll paper sensor state."""

    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """A decoded status snapshot; ``known`` is False for printers that cannot answer."""

    known: bool
    online: bool = True
    cover_open: bool = False
    paper: PaperLevel = PaperLevel.OK
    error: bool = False
    printer_byte: int | None = None
    offline_byte: int | None = None
    paper_byte: int | None = None

    @classmethod
    def unknown(cls) -> PrinterStatus:
        """Status of a write-only printer (e.g. a ``/dev/usb/lp0`` file)."""
        return cls(known=False)

    @property
    def ready(self) -> bool:
        """True when a job may be sent."""
        return not self.known or (
            self.online and not self.cover_open and self.paper is not PaperLevel.OUT
        )


def _checked(request: int, answer: bytes) -> int:
    if len(answer) < 1 or (answer[0] & FIXED_MASK) != FIXED_VALUE:
        raise PrinterStatusError(request, answer)
    return answer[0]


def decode_printer(answer: bytes) -> bool:
    """DLE EOT 1 → True when online."""
    return not (_checked(REQ_PRINTER, answer) & BIT_OFFLINE)


@dataclass(frozen=True, slots=True)
class OfflineCause:
    """DLE EOT 2 decoded."""

    cover_open: bool
    feed_button: bool
    stopped_paper_end: bool
    error: bool


def decode_offline_cause(answer: bytes) -> OfflineCause:
    """DLE EOT 2 → why the printer is offline."""
    b = _checked(REQ_OFFLINE_CAUSE, answer)
    return OfflineCause(
        cover_open=bool(b & BIT_COVER_OPEN),
        feed_button=bool(b & BIT_FEED_BUTTON),
        stopped_paper_end=bool(b & BIT_STOPPED_PAPER_END),
        error=bool(b & BIT_ERROR),
    )


def decode_paper(answer: bytes) -> PaperLevel:
    """DLE EOT 4 → roll paper level."""
    b = _checked(REQ_PAPER, answer)
    if b & BITS_PAPER_END == BITS_PAPER_END:
        return PaperLevel.OUT
    if b & BITS_NEAR_END == BITS_NEAR_END:
        return PaperLevel.NEAR_END
    return PaperLevel.OK


def decode_status(printer: bytes, offline: bytes, paper: bytes) -> PrinterStatus:
    """Combine the answers to DLE EOT 1, 2 and 4 into one snapshot."""
    cause = decode_offline_cause(offline)
    level = decode_paper(paper)
    if cause.stopped_paper_end:
        level = PaperLevel.OUT
    return PrinterStatus(
        known=True,
        online=decode_printer(printer),
        cover_open=cause.cover_open,
        paper=level,
        error=cause.error,
        printer_byte=printer[0],
        offline_byte=offline[0],
        paper_byte=paper[0],
    )


def raise_unless_ready(status: PrinterStatus) -> None:
    """Map a not-ready status to the most specific typed error (cover, paper, offline)."""
    if status.ready:
        return
    if status.cover_open:
        raise CoverOpenError(status.offline_byte or 0)
    if status.paper is PaperLevel.OUT:
        raise PaperOutError(status.paper_byte or 0)
    raise PrinterOfflineError(status.printer_byte)


def encode_answers(
    *,
    online: bool = True,
    cover_open: bool = False,
    paper: PaperLevel = PaperLevel.OK,
    error: bool = False,
) -> dict[int, bytes]:
    """The answers a printer in this state gives to DLE EOT 1, 2, 3 and 4 (for simulators)."""
    printer = FIXED_VALUE | (0 if online else BIT_OFFLINE)
    offline = FIXED_VALUE
    if cover_open:
        offline |= BIT_COVER_OPEN
    if paper is PaperLevel.OUT:
        offline |= BIT_STOPPED_PAPER_END
    if error:
        offline |= BIT_ERROR
    paper_b = FIXED_VALUE
    if paper is PaperLevel.NEAR_END:
        paper_b |= BITS_NEAR_END
    elif paper is PaperLevel.OUT:
        paper_b |= BITS_NEAR_END | BITS_PAPER_END
    return {
        REQ_PRINTER: bytes((printer,)),
        REQ_OFFLINE_CAUSE: bytes((offline,)),
        REQ_ERROR_CAUSE: bytes((FIXED_VALUE,)),
        REQ_PAPER: bytes((paper_b,)),
    }
