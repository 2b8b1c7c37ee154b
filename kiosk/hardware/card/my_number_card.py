"""The facade the kiosk uses: recognise the card, PIN status, read the resident, sign a digest.

Every operation is all-or-nothing: a removed card, a wrong PIN or malformed data raises a typed
error and no partial result is returned. PINs are validated before they are sent and each VERIFY
is sent at most once. The input-support PIN (0011) and the user-auth PIN (0018) are different
keys: ``read_resident`` uses only the former, ``sign_with_auth_key`` only the latter.

APDU budget of ``read_resident`` (short APDUs; ``bench/card_read.py`` measures it):

* recognise: SELECT JPKI + token by short EF id (2, once per connection);
* auth certificate: SELECT 000A + ⌈size/256⌉ reads (5 for 769–1024 bytes);
* SELECT input-support AP, SELECT PIN 0011 + one VERIFY (3);
* 基本4情報 and integrity record: first chunk by short EF id, then SELECT + the rest (1 for ≤ 256
  bytes, 3 for 257–512; EF 0003 is 336 bytes: 3);
* CV certificate EF 0004: 0 when the cached signer (``cv_cache``) verifies the record, else 4.

So 14 for an ordinary card with a warm cache (18 cold) and 16 warm / 20 cold for the worst case
the format allows (FF20 object of 512 bytes, 1 kB certificate). Each file is read once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from kiosk.hardware.card import integrity, jpki
from kiosk.hardware.card.basic_four import BasicFourInfo
from kiosk.hardware.card.cv_cache import CvCertificateCache
from kiosk.hardware.card.cv_certificate import CvCertificate
from kiosk.hardware.card.errors import BadResponseError, PinFormatError
from kiosk.hardware.card.input_support import PIN_INPUT_SUPPORT, InputSupportSession
from kiosk.hardware.card.integrity import IntegrityRecord, IntegrityResult
from kiosk.hardware.card.protocol import CardProtocol
from kiosk.hardware.card.session import ApplicationSession
from kiosk.hardware.card.transport import CardTransport
from kiosk.hardware.card.trust import ChainResult, TrustStore, issuer_keys

FOUR_DIGIT_PIN_LENGTH = 4
SHA256_DIGEST_LENGTH = 32
# DER DigestInfo header for SHA-256 (RFC 8017 §9.2 note 1); the card adds only the padding.
SHA256_DIGEST_INFO_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


def _four_digits(pin: str) -> bytes:
    if len(pin) != FOUR_DIGIT_PIN_LENGTH or not (pin.isascii() and pin.isdigit()):
        raise PinFormatError("the PIN must be exactly 4 digits")
    return pin.encode("ascii")


@dataclass(frozen=True, slots=True)
class PinStatus:
    """Tries left for the three PINs, read without consuming a try."""

    text_pin_tries: int
    auth_pin_tries: int
    sign_pin_tries: int


@dataclass(frozen=True, slots=True)
class AuthCertificate:
    """The user-authentication certificate (EF 000A) and its chain verdict."""

    der: bytes
    serial_number: int
    not_after: dt.date
    chain: ChainResult

    @property
    def serial_hex(self) -> str:
        """Serial number as lowercase hex without leading zeros."""
        return format(self.serial_number, "x")

    def public_key(self) -> rsa.RSAPublicKey:
        """The certificate's RSA public key."""
        key = parse_certificate(self.der).public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise BadResponseError("the auth certificate does not hold an RSA key")
        return key


@dataclass(frozen=True, slots=True)
class ResidentRecord:
    """Everything ``read_resident`` returns (personal data: never log it)."""

    basic_four: BasicFourInfo
    integrity: IntegrityResult
    auth_certificate: AuthCertificate

    def __repr__(self) -> str:
        return f"ResidentRecord(<personal data>, integrity={self.integrity.value})"


def parse_certificate(der: bytes) -> x509.Certificate:
    """Parse DER read from the card; malformed → ``BadResponseError``."""
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        raise BadResponseError("the certificate on the card is malformed") from None


class MyNumberCard:
    """A My Number card behind any ``CardTransport`` (PC/SC or the simulator)."""

    def __init__(
        self, transport: CardTransport, *, cv_cache: CvCertificateCache | None = None
    ) -> None:
        """``cv_cache``: where verified CV certificates are kept (default: the state folder)."""
        self._protocol = CardProtocol(transport)
        self._jpki = jpki.JpkiSession(self._protocol)
        self._text = InputSupportSession(self._protocol)
        self._cv_cache = cv_cache if cv_cache is not None else CvCertificateCache.in_state_dir()
        self._recognised = False
        self._current: ApplicationSession | None = None

    @property
    def apdu_count(self) -> int:
        """Command APDUs sent so far (GET RESPONSE and Le corrections included)."""
        return self._protocol.apdu_count

    def recognise(self) -> None:
        """SELECT the JPKI AP and check the token EF (once per connection); else not a card."""
        self._enter(self._jpki)
        if not self._recognised:
            self._jpki.check_token()
            self._recognised = True

    def _enter(self, session: ApplicationSession) -> None:
        """SELECT ``session``'s application unless it is the current one."""
        if self._current is not session:
            self._current = None
            session.select()
            self._current = session

    def pin_status(self) -> PinStatus:
        """Tries left for PINs 0011, 0018 and 001B; consumes no try."""
        self.recognise()
        auth = self._jpki.pin_tries(jpki.PIN_AUTH)
        sign = self._jpki.pin_tries(jpki.PIN_SIGN)
        self._enter(self._text)
        text = self._text.pin_tries(PIN_INPUT_SUPPORT)
        return PinStatus(text_pin_tries=text, auth_pin_tries=auth, sign_pin_tries=sign)

    def read_auth_certificate(
        self, trust: TrustStore | None = None, *, at: dt.datetime | None = None
    ) -> AuthCertificate:
        """Recognise the card and read the auth certificate with its chain verdict."""
        self.recognise()
        return self._auth_certificate(trust, at or dt.datetime.now(dt.UTC))

    def _auth_certificate(self, trust: TrustStore | None, at: dt.datetime) -> AuthCertificate:
        der = self._jpki.read_auth_certificate()
        leaf = parse_certificate(der)
        # only the configured roots count: the card's own copy of its root (EF 000B) is never read
        chain = trust.check_chain(leaf, at) if trust is not None else ChainResult.UNTRUSTED
        return AuthCertificate(
            der=der,
            serial_number=leaf.serial_number,
            not_after=leaf.not_valid_after_utc.date(),
            chain=chain,
        )

    def read_resident(
        self, pin: str, trust: TrustStore | None = None, *, at: dt.datetime | None = None
    ) -> ResidentRecord:
        """Verify PIN 0011 once, read the 基本4情報, check integrity and the auth certificate."""
        secret = _four_digits(pin)
        self.recognise()
        certificate = self._auth_certificate(trust, at or dt.datetime.now(dt.UTC))
        self._enter(self._text)
        self._text.verify_pin(PIN_INPUT_SUPPORT, secret)
        basic_file = self._text.read_basic_four()
        record = IntegrityRecord.parse(self._text.read_integrity())
        info = BasicFourInfo.parse(basic_file)
        verdict = self._check_integrity(basic_file, record, trust)
        return ResidentRecord(basic_four=info, integrity=verdict, auth_certificate=certificate)

    def _check_integrity(
        self, basic_file: bytes, record: IntegrityRecord, trust: TrustStore | None
    ) -> IntegrityResult:
        """Digest first; then the cached signer, else EF 0004 from the card (cached if trusted)."""
        if not integrity.digest_matches(basic_file, record):
            return IntegrityResult.FAILED
        keys = issuer_keys(trust)
        if self._cv_cache.signer_of(record, keys) is not None:
            return IntegrityResult.VERIFIED
        der = self._text.read_cv_certificate()
        cv_certificate = CvCertificate.parse(der)
        verdict = integrity.check(basic_file, record, cv_certificate, keys)
        if verdict is IntegrityResult.VERIFIED:  # the record's signer, certified by an anchor
            self._cv_cache.store(der, cv_certificate)
        return verdict

    def sign_with_auth_key(
        self, auth_pin: str, message_digest: bytes, *, certificate_der: bytes | None = None
    ) -> bytes:
        """Verify PIN 0018 once, have the card sign a SHA-256 digest, check it against 000A."""
        if len(message_digest) != SHA256_DIGEST_LENGTH:
            raise ValueError("message_digest must be a 32-byte SHA-256 digest")
        secret = _four_digits(auth_pin)
        self.recognise()
        self._jpki.verify_pin(jpki.PIN_AUTH, secret)
        signature = self._jpki.sign_with_auth_key(SHA256_DIGEST_INFO_PREFIX + message_digest)
        der = certificate_der or self._jpki.read_auth_certificate()
        key = parse_certificate(der).public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise BadResponseError("the auth certificate does not hold an RSA key")
        try:
            key.verify(signature, message_digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
        except InvalidSignature:
            raise BadResponseError("the card's signature does not verify") from None
        return signature
