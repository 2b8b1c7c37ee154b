"""The pyscard adapter — the only module that imports ``smartcard``.

Reader selection by name substring, connection (T=0 or T=1, exclusive, card powered down on
close so a verified PIN does not outlive the session), byte/SW conversion, and the mapping of
pyscard's exceptions: no card, card removed, reader gone or PC/SC service missing all become
``NoCardError`` (``ReaderUnavailableError`` for the reader/service cases).
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import Any

from smartcard.CardConnection import CardConnection
from smartcard.Exceptions import CardConnectionException, NoCardException, SmartcardException
from smartcard.pcsc.PCSCExceptions import BaseSCardException
from smartcard.scard import (
    SCARD_E_SHARING_VIOLATION,
    SCARD_S_SUCCESS,
    SCARD_SCOPE_USER,
    SCARD_SHARE_EXCLUSIVE,
    SCARD_STATE_PRESENT,
    SCARD_STATE_UNAWARE,
    SCARD_UNPOWER_CARD,
    SCARD_W_RESET_CARD,
    SCARD_W_UNPOWERED_CARD,
    SCardEstablishContext,
    SCardGetStatusChange,
    SCardReleaseContext,
)
from smartcard.System import readers as _pyscard_readers

from kiosk.hardware.card.errors import CardRemovedError, NoCardError, ReaderUnavailableError

log = logging.getLogger(__name__)

PROTOCOLS = CardConnection.T0_protocol | CardConnection.T1_protocol
PROTOCOL_NAMES = {CardConnection.T0_protocol: "T=0", CardConnection.T1_protocol: "T=1"}
SHARING_RETRY_S = 2.0
SHARING_RETRY_STEP_S = 0.05
# another client holds the card, or pcscd is still powering up a card that was just inserted
TRANSIENT_CONNECT_ERRORS = frozenset(
    {SCARD_E_SHARING_VIOLATION, SCARD_W_UNPOWERED_CARD, SCARD_W_RESET_CARD}
)


def list_readers() -> list[str]:
    """Names of the PC/SC readers; ``ReaderUnavailableError`` if the service is not running."""
    try:
        return [str(reader) for reader in _pyscard_readers()]
    except (SmartcardException, BaseSCardException) as err:
        raise ReaderUnavailableError("PC/SC service not available") from err


def _reader_objects(substring: str | None) -> list[Any]:
    try:
        found = list(_pyscard_readers())
    except (SmartcardException, BaseSCardException) as err:
        raise ReaderUnavailableError("PC/SC service not available") from err
    if substring is not None:
        found = [reader for reader in found if substring in str(reader)]
    if not found:
        raise ReaderUnavailableError(f"no reader matching {substring!r}")
    return found


def is_card_present(reader_name: str) -> bool:
    """True when PC/SC reports a card in the reader called exactly ``reader_name``."""
    hresult, context = SCardEstablishContext(SCARD_SCOPE_USER)
    if hresult != SCARD_S_SUCCESS:
        raise ReaderUnavailableError("PC/SC service not available")
    try:
        hresult, states = SCardGetStatusChange(context, 0, [(reader_name, SCARD_STATE_UNAWARE)])
        if hresult != SCARD_S_SUCCESS:
            raise ReaderUnavailableError(f"reader {reader_name!r} not available")
        return any(int(state) & SCARD_STATE_PRESENT for _, state, _ in states)
    finally:
        SCardReleaseContext(context)


class PcscTransport:
    """A ``CardTransport`` over one pyscard connection."""

    def __init__(self, connection: Any, reader_name: str) -> None:
        self._connection = connection
        self.reader_name = reader_name
        self._atr = bytes(connection.getATR())
        self._closed = False
        protocol = PROTOCOL_NAMES.get(int(connection.getProtocol()), "other")
        log.debug("connected to %s using %s", reader_name, protocol)

    @property
    def atr(self) -> bytes:
        """The card's ATR (informational only)."""
        return self._atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one APDU; card or reader loss raises ``CardRemovedError``."""
        if self._closed:
            raise CardRemovedError("connection already closed")
        try:
            data, sw1, sw2 = self._connection.transmit(list(apdu))
        except (SmartcardException, BaseSCardException) as err:
            raise CardRemovedError("card or reader went away during a command") from err
        return bytes(data), (int(sw1) << 8) | int(sw2)

    def close(self) -> None:
        """Disconnect (powering the card down); safe to call twice."""
        if self._closed:
            return
        self._closed = True
        try:
            self._connection.disconnect()
            self._connection.release()
        except (SmartcardException, BaseSCardException, AttributeError):
            log.debug("disconnect from %s failed (card already gone)", self.reader_name)

    def __enter__(self) -> PcscTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _connect_one(reader: Any) -> PcscTransport:
    deadline = time.monotonic() + SHARING_RETRY_S
    while True:
        connection = reader.createConnection()
        try:
            connection.connect(PROTOCOLS, SCARD_SHARE_EXCLUSIVE, SCARD_UNPOWER_CARD)
        except NoCardException as err:
            raise NoCardError(f"no card in {reader}") from err
        except CardConnectionException as err:
            transient = getattr(err, "hresult", None) in TRANSIENT_CONNECT_ERRORS
            if transient and time.monotonic() < deadline:
                time.sleep(SHARING_RETRY_STEP_S)
                continue
            raise NoCardError(f"cannot connect to the card in {reader}") from err
        except (SmartcardException, BaseSCardException) as err:
            raise ReaderUnavailableError(f"reader {reader} not available") from err
        return PcscTransport(connection, str(reader))


def connect(reader_substring: str | None = None) -> PcscTransport:
    """Connect to the card in the first reader containing ``reader_substring``.

    Without a substring: the first reader that holds a card. ``NoCardError`` when none does.
    """
    candidates = _reader_objects(reader_substring)
    if reader_substring is not None:
        return _connect_one(candidates[0])
    for reader in candidates:
        try:
            return _connect_one(reader)
        except NoCardError:
            continue
    raise NoCardError("no reader holds a card")
