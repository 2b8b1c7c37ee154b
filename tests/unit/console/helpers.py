"""Builders shared by the console's unit and integration tests (real filings, keys, envelopes)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.forms.codec import canonical_bytes
from kiosk.forms.ids import new_filing_id
from kiosk.forms.model import (
    Address,
    AddressScheme,
    Filer,
    Filing,
    FilingKind,
    Member,
    Sex,
    Standing,
)
from kiosk.forms.payload import encode_binary, split_binary
from kiosk.forms.relationship import HEAD, Link, build_chain
from server_sync.envelope import build_envelope
from server_sync.request_auth import sign_request

KIOSK_ID = "kiosk-01"
STAFF_USER = "clerk1"
STAFF_PASSWORD = "correct horse battery"
FILINGS_PATH = "/api/v1/filings"

_CHILDREN = ["一郎", "二郎", "三郎", "花子", "桃子", "𠮷男", "髙子", "四郎"]


def make_filing(members: int = 3, *, phone: str = "0312345678") -> Filing:
    """A 転居 of a household of ``members`` people (head, wife, children)."""
    people = [
        Member("山田 太郎", "ヤマダ タロウ", date(1980, 4, 1), Sex.MALE, HEAD, from_chip=True),
        Member(
            "山田 花江", "ヤマダ ハナエ", date(1982, 6, 3), Sex.FEMALE, build_chain([Link.WIFE])
        ),
    ]
    for i in range(max(0, members - 2)):
        people.append(
            Member(
                f"山田 {_CHILDREN[i % len(_CHILDREN)]}",
                "ヤマダ コ",
                date(2010 + i % 10, 1 + i % 12, 1),
                Sex.MALE if i % 2 == 0 else Sex.FEMALE,
                build_chain([Link.CHILD]),
            )
        )
    new_address = Address(
        scheme=AddressScheme.RESIDENTIAL,
        prefecture="東京都",
        city="新宿区",
        lg_code="131041",
        town="新宿三丁目",
        block="5",
        residence="2",
        katagaki="新宿ハイツ302号室",
    )
    old_address = Address(
        scheme=AddressScheme.FREE_TEXT, free_text="東京都新宿区西新宿二丁目8番1号"
    )
    return Filing(
        id=new_filing_id(),
        ward_code="131041",
        kind=FilingKind.MOVE_WITHIN,
        notified_on=date(2026, 11, 27),
        moved_on=date(2026, 11, 20),
        filer=Filer(name="山田 太郎", standing=Standing.SELF, member_index=0, from_chip=True),
        new_address=new_address,
        old_address=old_address,
        members=tuple(people[:members]),
        created_at=datetime(2026, 11, 27, 0, 30, tzinfo=UTC),
        phone=phone,
    )


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
