"""Typed outcomes of every service result the visit reacts to: one type per outcome, with its data.

Services turn exceptions into these on the way back to the UI thread, so a part (and the screen
drawn from it) matches on a closed set of types instead of guessing from an exception or a string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.flows.rendering import RenderedPaper
    from kiosk.hardware.card.my_number_card import ResidentRecord

# ---------------------------------------------------------------------- card: recognise, read


@dataclass(frozen=True, slots=True)
class CardRecognised:
    """A My Number card and its PIN tries (no PIN used)."""

    text_pin_tries: int
    auth_pin_tries: int
    certificate: bytes = b""  # the public auth certificate: identifies the card without a PIN


@dataclass(frozen=True, slots=True)
class NotMyNumberCard:
    """Some other card lies on the reader."""


@dataclass(frozen=True, slots=True)
class CardLocked:
    """The PIN is blocked: only the counter can help."""


@dataclass(frozen=True, slots=True)
class CardUnreadable:
    """The card could not be read (moved, removed, a bad answer); ``code`` for the log."""

    code: str


@dataclass(frozen=True, slots=True)
class ResidentRead:
    """The PIN was right: the 基本4情報 and the auth certificate."""

    record: ResidentRecord

    def __repr__(self) -> str:
        return "ResidentRead(<personal data>)"


@dataclass(frozen=True, slots=True)
class WrongPin:
    """The PIN was wrong; ``tries_left`` before the card locks."""

    tries_left: int


CheckOutcome = CardRecognised | NotMyNumberCard | CardLocked | CardUnreadable
ReadOutcome = ResidentRead | WrongPin | CardLocked | CardUnreadable

# ---------------------------------------------------------------------- signing


@dataclass(frozen=True, slots=True)
class Signed:
    """The card signed the filing with its auth key."""

    certificate: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class SigningSkipped:
    """No binding signature (card gone, too few tries, an error); ``code`` for the log."""

    code: str


@dataclass(frozen=True, slots=True)
class SignWrongPin:
    """The 利用者証明用 PIN was wrong (one VERIFY spent); ``tries_left`` before it locks."""

    tries_left: int


SignOutcome = Signed | SigningSkipped | SignWrongPin

# ---------------------------------------------------------------------- outbox


@dataclass(frozen=True, slots=True)
class Enqueued:
    """The signed filing is in the local outbox (the sender delivers it later)."""

    filing_id: str


@dataclass(frozen=True, slots=True)
class OutboxRefused:
    """The outbox did not take the filing (not enrolled, a broken store); ``code`` for staff."""

    code: str


@dataclass(frozen=True, slots=True)
class OutboxFull:
    """The disk under the outbox is full."""


EnqueueOutcome = Enqueued | OutboxRefused | OutboxFull

# ---------------------------------------------------------------------- render, printer


@dataclass(frozen=True, slots=True)
class Rendered:
    """Receipt and form drawn (bytes only)."""

    paper: RenderedPaper


@dataclass(frozen=True, slots=True)
class RenderFailed:
    """The paper could not be drawn; ``code`` for the log."""

    code: str


@dataclass(frozen=True, slots=True)
class Printed:
    """The printer took the receipt."""


@dataclass(frozen=True, slots=True)
class PaperOut:
    """The printer reports no paper."""


@dataclass(frozen=True, slots=True)
class PrinterOffline:
    """The printer does not answer (or reports an error); ``code`` for the log."""

    code: str


RenderOutcome = Rendered | RenderFailed
PrintOutcome = Printed | PaperOut | PrinterOffline
#: what the print-problem screen explains (the outbox outcome is shown beside it)
PrintProblem = RenderFailed | PaperOut | PrinterOffline


def error_code(err: BaseException) -> str:
    """A stable, data-free code for an error (the typed ``code`` or the class name)."""
    code = getattr(err, "code", None)
    return code if isinstance(code, str) else type(err).__name__
