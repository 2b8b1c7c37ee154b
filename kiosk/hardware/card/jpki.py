"""The JPKI AP (公的個人認証AP): card recognition, PIN status, auth certificate, auth signature.

Recognition and the APDU budget. A card is a My Number card when the JPKI AP can be selected and
its token EF 0006 carries the label ``JPKIAPICCTOKEN2`` (never judged by ATR). The token is read
by its short EF id (``00 B0 86 00 20``, card-protocol.md §2.3: JSAPDU uses this form against real
cards, MC tests it) — one APDU instead of SELECT EF + READ BINARY — and only once per connection
(``MyNumberCard`` remembers the verdict). Any answer other than the expected label — a refusal of
the short form, or a different label — is re-checked with the explicit SELECT EF 0006 + READ
BINARY, so a card that does not support short EF ids is still recognised, every negative verdict
comes from the explicit form, and the rest of the session uses explicit SELECTs. VERIFY never uses
the short form: a misread reference could cost a try. The certificate part (SELECT 000A +
⌈size/256⌉ reads) is the minimum for short reads and no more than OpenSC's; EF 000B (the card's
copy of its root) is never read, since only the configured roots count. The whole read's budget
is in ``my_number_card``.
"""

from __future__ import annotations

from kiosk.hardware.card import apdu
from kiosk.hardware.card.errors import NotMyNumberCardError
from kiosk.hardware.card.session import ApplicationSession

JPKI_AID = bytes.fromhex("D392F000260100000001")
EF_TOKEN = 0x0006
EF_AUTH_CERTIFICATE = 0x000A
KEY_AUTH = 0x0017
PIN_AUTH = 0x0018
PIN_SIGN = 0x001B
TOKEN_LABEL_LENGTH = 32
MY_NUMBER_CARD_TOKEN = "JPKIAPICCTOKEN2"  # noqa: S105 - a token label, not a secret
TOKEN_PADDING = b" \x00"


class JpkiSession(ApplicationSession):
    """Commands of the JPKI AP that the kiosk uses (never the signing certificate or key)."""

    aid = JPKI_AID
    name = "JPKI AP"
    allowed_files = frozenset({EF_TOKEN, EF_AUTH_CERTIFICATE, KEY_AUTH, PIN_AUTH, PIN_SIGN})

    def check_token(self) -> None:
        """Read the token EF (short EF id first); refuse anything but a My Number card's label."""
        if self._protocol.short_ef_ids:
            data, sw = self.read_short_ef(EF_TOKEN, TOKEN_LABEL_LENGTH)
            if sw == apdu.StatusWord.OK and _is_my_number_card_label(data):
                return
            self._protocol.short_ef_ids = False  # refused or garbled: explicit reads from now on
        if self.select_ef(EF_TOKEN) != apdu.StatusWord.OK:
            raise NotMyNumberCardError("JPKI token EF missing")
        data, sw = self._protocol.send(apdu.read_binary(0, TOKEN_LABEL_LENGTH))
        if sw != apdu.StatusWord.OK or not _is_my_number_card_label(data):
            raise NotMyNumberCardError("JPKI token is not a My Number card's")

    def read_auth_certificate(self) -> bytes:
        """DER of the user-authentication certificate (EF 000A, readable without PIN)."""
        return self.read_object(EF_AUTH_CERTIFICATE)

    def sign_with_auth_key(self, digest_info: bytes) -> bytes:
        """Have the card sign a DER DigestInfo with the auth key (auth PIN must be verified)."""
        self._select_ef_ok(KEY_AUTH)
        return self._protocol.send_ok(apdu.compute_signature(digest_info), "JPKI auth signature")


def _is_my_number_card_label(token: bytes) -> bool:
    label = token[:TOKEN_LABEL_LENGTH].rstrip(TOKEN_PADDING)
    return label == MY_NUMBER_CARD_TOKEN.encode("ascii")
