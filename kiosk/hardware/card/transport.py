"""The card transport port: APDU bytes in; response data and a 16-bit status word out.

Exactly two kinds of implementation exist: the pyscard adapter (``kiosk.hardware.card.pcsc``) and
the in-process simulator (``kiosk.hardware.card.sim``). Everything above this port (chaining,
61xx/6Cxx handling, status-word mapping, card sessions) is written once against it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol


class CardTransport(Protocol):
    """A connection to one card in one reader."""

    @property
    def atr(self) -> bytes:
        """The card's answer-to-reset (informational only: cards are never recognised by ATR)."""
        ...

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one command APDU; return (response data, SW1<<8 | SW2).

        Raises ``CardRemovedError`` when the card or the reader went away.
        """
        ...

    def close(self) -> None:
        """Disconnect; safe to call twice."""
        ...

    def __enter__(self) -> CardTransport: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
