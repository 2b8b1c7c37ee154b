"""Signed request headers for kiosk-authenticated calls (X-Kiosk-Id/-Timestamp/-Signature)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from server_sync.envelope import format_timestamp, parse_timestamp
from server_sync.errors import BadSignatureError, ClockSkewError, EnvelopeError

HEADER_KIOSK_ID = "X-Kiosk-Id"
HEADER_TIMESTAMP = "X-Kiosk-Timestamp"
HEADER_SIGNATURE = "X-Kiosk-Signature"
REQUEST_WINDOW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class RequestAuth:
    """The three auth header values of one request."""

    kiosk_id: str
    timestamp: str
    signature: str

    def headers(self) -> dict[str, str]:
        """As an HTTP header mapping."""
        return {
            HEADER_KIOSK_ID: self.kiosk_id,
            HEADER_TIMESTAMP: self.timestamp,
            HEADER_SIGNATURE: self.signature,
        }


def signing_string(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    """The UTF-8 string "METHOD\\nPATH\\nTIMESTAMP\\nSHA256HEX(body)" that the kiosk signs."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{digest}".encode()


def sign_request(
    private_key: Ed25519PrivateKey,
    kiosk_id: str,
    method: str,
    path: str,
    body: bytes,
    now: datetime,
) -> RequestAuth:
    """Sign one request (``path`` without scheme/host, without query string)."""
    timestamp = format_timestamp(now)
    sig = private_key.sign(signing_string(method, path, timestamp, body))
    return RequestAuth(kiosk_id, timestamp, base64.b64encode(sig).decode("ascii"))


def verify_request(
    public_key: Ed25519PublicKey,
    method: str,
    path: str,
    body: bytes,
    timestamp: str,
    signature_b64: str,
    now: datetime,
    *,
    window: timedelta = REQUEST_WINDOW,
) -> None:
    """Check the signature, then the timestamp window (raises bad_signature / clock_skew).

    The signature comes first so that only the enrolled kiosk learns the server time that a
    :class:`ClockSkewError` carries (the kiosk's ``status`` shows the offset to staff).
    """
    try:
        moment = parse_timestamp(timestamp)
    except EnvelopeError as err:
        raise BadSignatureError("request timestamp is malformed") from err
    try:
        sig = base64.b64decode(signature_b64.encode("ascii"), validate=True)
        public_key.verify(sig, signing_string(method, path, timestamp, body))
    except (binascii.Error, UnicodeEncodeError, InvalidSignature) as err:
        raise BadSignatureError("request signature does not verify") from err
    if abs(now - moment) > window:
        raise ClockSkewError("request timestamp outside the accepted window", server_time=now)
