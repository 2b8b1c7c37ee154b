"""In-process transport: ``SimulatedTransport(card)`` implements the ``CardTransport`` port."""

from __future__ import annotations

from types import TracebackType

from kiosk.hardware.card.errors import NoCardError
from kiosk.hardware.card.sim.card import SimulatedCard

SW_LENGTH = 2


class SimulatedTransport:
    """Talks to a ``SimulatedCard`` directly; raises ``NoCardError`` once the card has vanished."""

    def __init__(self, card: SimulatedCard, *, reset: bool = False) -> None:
        self._card = card
        self._closed = False
        if reset:
            card.reset()

    @property
    def card(self) -> SimulatedCard:
        """The card behind this transport (for tests)."""
        return self._card

    @property
    def atr(self) -> bytes:
        """The card's answer-to-reset."""
        return self._card.atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one command APDU; return (response data, SW1<<8 | SW2)."""
        if self._closed:
            raise NoCardError("transport closed")
        response = self._card.process(apdu)
        return response[:-SW_LENGTH], int.from_bytes(response[-SW_LENGTH:], "big")

    def close(self) -> None:
        """Disconnect; safe to call twice."""
        self._closed = True

    def __enter__(self) -> SimulatedTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
