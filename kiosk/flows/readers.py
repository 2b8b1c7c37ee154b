"""Card readers behind one small port: PC/SC (pcscd) and an in-process simulator."""

from __future__ import annotations

import threading
from typing import Protocol

from kiosk.hardware.card.errors import NoCardError, ReaderUnavailableError
from kiosk.hardware.card.transport import CardTransport


class CardReader(Protocol):
    """Where the resident places the card."""

    def present(self) -> bool:
        """Whether a card lies on the reader (``ReaderUnavailableError`` if the reader is gone)."""
        ...

    def connect(self) -> CardTransport:
        """Open a connection to the card; ``NoCardError`` when there is none."""
        ...

    def describe(self) -> str:
        """The reader's name for staff."""
        ...


class PcscReader:
    """The first PC/SC reader whose name contains ``substring`` (the pyscard adapter)."""

    def __init__(self, substring: str | None = None) -> None:
        self._substring = substring

    def _name(self) -> str:
        from kiosk.hardware.card import pcsc

        names = pcsc.list_readers()
        matching = [n for n in names if self._substring is None or self._substring in n]
        if not matching:
            raise ReaderUnavailableError(f"no reader matching {self._substring!r}")
        return matching[0]

    def present(self) -> bool:
        """Ask pcscd whether a card is in the reader."""
        from kiosk.hardware.card import pcsc

        return pcsc.is_card_present(self._name())

    def connect(self) -> CardTransport:
        """Connect exclusively (the card is powered down on close)."""
        from kiosk.hardware.card import pcsc

        return pcsc.connect(self._substring)

    def describe(self) -> str:
        """The PC/SC reader name."""
        try:
            return self._name()
        except ReaderUnavailableError:
            return "-"


class SimulatedReader:
    """An in-process reader holding at most one simulated card (tests, demo without pcscd)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._card: object | None = None
        self.attached = True

    def insert(self, card: object) -> None:
        """Place a card (a ``SimulatedCard`` or ``GenericCard``)."""
        with self._lock:
            self._card = card

    def remove(self) -> None:
        """Take the card away."""
        with self._lock:
            self._card = None

    @property
    def card(self) -> object | None:
        """The card on the reader, if any."""
        return self._card

    def present(self) -> bool:
        """Whether a card is on the reader."""
        if not self.attached:
            raise ReaderUnavailableError("simulated reader unplugged")
        return self._card is not None

    def connect(self) -> CardTransport:
        """A fresh transport to the card on the reader."""
        from kiosk.hardware.card.sim import SimulatedTransport

        with self._lock:
            card = self._card
        if card is None:
            raise NoCardError("no card on the simulated reader")
        return SimulatedTransport(card, reset=True)  # type: ignore[arg-type]

    def describe(self) -> str:
        """A name for staff."""
        return "simulated reader"
