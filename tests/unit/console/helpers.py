"""Builders shared by the console's unit and integration tests (real filings, keys, envelopes)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.forms.codec import canonical_bytes
from kiosk.forms.model import Filing
from kiosk.forms.payload import encode_binary, split_binary
from server_sync.envelope import build_envelope
from server_sync.request_auth import sign_request
from tests.fixtures.filings import build_filing

KIOSK_ID = "kiosk-01"
STAFF_USER = "clerk1"
STAFF_PASSWORD = "correct horse battery"
FILINGS_PATH = "/api/v1/filings"


def make_filing(members: int = 3, *, phone: str = "0312345678") -> Filing:
    """A 転居 of a household of ``members`` people (the shared builder, tests/fixtures)."""
    return build_filing(members=members, phone=phone)


def qr_parts(
    filing: Filing, key: Ed25519PrivateKey, *, kiosk_id: str = KIOSK_ID, max_part_chars: int = 3000
) -> list[str]:
    """The QR texts the kiosk would print (what a scanner types)."""
    binary = encode_binary(filing, kiosk_id=kiosk_id, private_key=key)
    return split_binary(binary, max_part_chars)


def tampered_parts(
    filing: Filing, key: Ed25519PrivateKey, *, max_part_chars: int = 3000
) -> list[str]:
    """Correctly framed parts whose signature no longer matches (one signature bit flipped)."""
    binary = bytearray(encode_binary(filing, kiosk_id=KIOSK_ID, private_key=key))
    binary[-1] ^= 0x01
    return split_binary(bytes(binary), max_part_chars)


@dataclass(frozen=True, slots=True)
class SignedPost:
    """A filing POST as the kiosk sends it."""

    body: bytes
    headers: dict[str, str]


def signed_post(
    filing: Filing, key: Ed25519PrivateKey, now: datetime, *, kiosk_id: str = KIOSK_ID
) -> SignedPost:
    """The envelope and signed headers of POST /api/v1/filings for this filing."""
    body = build_envelope(
        canonical_bytes(filing),
        kiosk_id=kiosk_id,
        private_key=key,
        idempotency_key=filing.id,
        created_at=filing.created_at,
        resident_certificate=None,
        resident_signature=None,
    )
    auth = sign_request(key, kiosk_id, "POST", FILINGS_PATH, body, now)
    headers = {**auth.headers(), "Content-Type": "application/json"}
    return SignedPost(body, headers)


def raw_public_key(key: Ed25519PrivateKey) -> bytes:
    """The 32 raw public-key bytes (as enrolled)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode("ascii")
