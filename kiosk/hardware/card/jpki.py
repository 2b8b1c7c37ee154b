"""The JPKI AP (公的個人認証AP): card recognition, PIN status, auth certificate, auth signature."""

from __future__ import annotations

from kiosk.hardware.card import apdu
from kiosk.hardware.card.errors import NotMyNumberCardError
from kiosk.hardware.card.session import ApplicationSession

JPKI_AID = bytes.fromhex("D392F000260100000001")
EF_TOKEN = 0x0006
EF_AUTH_CERTIFICATE = 0x000A
EF_AUTH_CA_CERTIFICATE = 0x000B
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
    allowed_files = frozenset(
        {EF_TOKEN, EF_AUTH_CERTIFICATE, EF_AUTH_CA_CERTIFICATE, KEY_AUTH, PIN_AUTH, PIN_SIGN}
    )

    def check_token(self) -> None:
        """Read the token EF; anything but a My Number card's label is refused."""
        if self.select_ef(EF_TOKEN) != apdu.StatusWord.OK:
            raise NotMyNumberCardError("JPKI token EF missing")
        data, sw = self._protocol.send(apdu.read_binary(0, TOKEN_LABEL_LENGTH))
        label = data[:TOKEN_LABEL_LENGTH].rstrip(TOKEN_PADDING)
        if sw != apdu.StatusWord.OK or label != MY_NUMBER_CARD_TOKEN.encode("ascii"):
            raise NotMyNumberCardError("JPKI token is not a My Number card's")

    def read_auth_certificate(self) -> bytes:
        """DER of the user-authentication certificate (EF 000A, readable without PIN)."""
        return self.read_object(EF_AUTH_CERTIFICATE)

    def read_auth_ca_certificate(self) -> bytes:
        """DER of the CA certificate for the user-authentication certificate (EF 000B)."""
        return self.read_object(EF_AUTH_CA_CERTIFICATE)

    def sign_with_auth_key(self, digest_info: bytes) -> bytes:
        """Have the card sign a DER DigestInfo with the auth key (auth PIN must be verified)."""
        self._select_ef_ok(KEY_AUTH)
        return self._protocol.send_ok(apdu.compute_signature(digest_info), "JPKI auth signature")
