"""APDU exchange over a transport: 61xx GET RESPONSE, 6Cxx Le correction, traces, SW checks.

Traces go to this module's logger at ``TRAFFIC`` level: command APDUs with VERIFY data masked
(``apdu.redact``), responses as length and status word only, because response data holds personal
data (name, address). Sessions never see 61xx/6Cxx.

A 6Cxx correction re-sends the command, so it is applied only to commands that carry an Le and
never to VERIFY / CHANGE REFERENCE DATA: a PIN is sent at most once per call, whatever the card
answers (a second VERIFY could cost a second try, card-protocol.md §3.5).
"""

from __future__ import annotations

import logging

from kiosk.hardware.card import apdu
from kiosk.hardware.card.errors import ApduError
from kiosk.hardware.card.transport import CardTransport
from kiosk.log import TRAFFIC

log = logging.getLogger(__name__)

MAX_GET_RESPONSE_ROUNDS = 64  # 64 × 256 bytes: far beyond any object on this card
MAX_LE_CORRECTIONS = 1


class CardProtocol:
    """Sends APDUs, hides T=0 chaining, counts commands, maps non-9000 to ``ApduError``."""

    def __init__(self, transport: CardTransport) -> None:
        self._transport = transport
        self.apdu_count = 0
        #: cleared when the card refuses a READ BINARY by short EF id: explicit SELECTs from then on
        self.short_ef_ids = True

    def _exchange(self, command: bytes) -> tuple[bytes, int]:
        if log.isEnabledFor(TRAFFIC):
            log.log(TRAFFIC, ">> %s", apdu.redact(command))
        self.apdu_count += 1
        data, sw = self._transport.transmit(command)
        if log.isEnabledFor(TRAFFIC):
            log.log(TRAFFIC, "<< %d bytes, SW %04X", len(data), sw)
        return data, sw

    def send(self, command: bytes) -> tuple[bytes, int]:
        """Send one command; return (data, final SW) after any GET RESPONSE / Le correction."""
        data, sw = self._exchange(command)
        corrections = 0
        while (
            sw >> 8 == apdu.SW1_WRONG_LE
            and corrections < MAX_LE_CORRECTIONS
            and _may_resend_with_new_le(command)
        ):
            corrections += 1
            data, sw = self._exchange(apdu.with_le(command, (sw & 0xFF) or apdu.MAX_SHORT_LE))
        collected = bytearray(data)
        rounds = 0
        while sw >> 8 == apdu.SW1_MORE_DATA and rounds < MAX_GET_RESPONSE_ROUNDS:
            rounds += 1
            more, sw = self._exchange(
                apdu.get_response(command[0], (sw & 0xFF) or apdu.MAX_SHORT_LE)
            )
            collected += more
        return bytes(collected), sw

    def send_ok(self, command: bytes, what: str) -> bytes:
        """Send; return the data if SW is 9000, else raise ``ApduError`` naming ``what``."""
        data, sw = self.send(command)
        if sw != apdu.StatusWord.OK:
            raise ApduError(sw, data, what)
        return data


def _may_resend_with_new_le(command: bytes) -> bool:
    """6Cxx applies to commands with an Le; a secret-carrying command is never sent twice."""
    if command[1] in apdu.SECRET_DATA_INSTRUCTIONS:
        return False
    try:
        _, _, le = apdu.split(command)
    except ValueError:
        return False
    return le is not None
