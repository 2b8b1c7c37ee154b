"""UUIDv7 filing ids (RFC 9562); ``uuid.uuid7`` only exists from Python 3.14."""

from __future__ import annotations

import hashlib
import os
import time
import uuid

_VERSION_7 = 0x7
_VARIANT_RFC = 0b10


def uuid7(unix_ms: int | None = None) -> uuid.UUID:
    """A time-ordered UUIDv7: 48-bit Unix milliseconds, version 7, 74 random bits."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    if not 0 <= ms < 1 << 48:
        raise ValueError("timestamp out of the 48-bit UUIDv7 range")
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 68  # 12 bits
    rand_b = rand & ((1 << 62) - 1)  # 62 bits
    value = (ms << 80) | (_VERSION_7 << 76) | (rand_a << 64) | (_VARIANT_RFC << 62) | rand_b
    return uuid.UUID(int=value)


def new_filing_id() -> str:
    """A new filing id as the canonical lower-case UUID string."""
    return str(uuid7())


def uuid7_unix_ms(value: uuid.UUID | str) -> int:
    """The millisecond timestamp embedded in a UUIDv7."""
    u = uuid.UUID(str(value))
    return u.int >> 80


def is_uuid7(value: str) -> bool:
    """True if ``value`` is a canonical lower-case UUID string of version 7."""
    try:
        u = uuid.UUID(value)
    except ValueError:
        return False
    return str(u) == value and u.version == _VERSION_7


#: 受付番号 alphabet: Crockford base32 (no I, L, O, U — nothing a clerk misreads)
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_BODY_CHARS = 7  # + 1 check character = 8


def _luhn_mod_n(body: str) -> str:
    """Luhn mod N check character: catches every single-character error and adjacent swap."""
    n = len(RECEIPT_ALPHABET)
    total = 0
    factor = 2
    for ch in reversed(body):
        addend = factor * RECEIPT_ALPHABET.index(ch)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return RECEIPT_ALPHABET[(n - total % n) % n]


def receipt_number(filing_id: str) -> str:
    """The short human 受付番号 of a filing: 7 characters from SHA-256 of the id + check char.

    Deterministic, so the clerk's scanner derives the same number from the UUID in the QR code.
    """
    digest = int.from_bytes(hashlib.sha256(filing_id.encode("ascii")).digest()[:8], "big")
    body = ""
    for _ in range(RECEIPT_BODY_CHARS):
        digest, index = divmod(digest, len(RECEIPT_ALPHABET))
        body += RECEIPT_ALPHABET[index]
    return body + _luhn_mod_n(body)


def receipt_number_ok(text: str) -> bool:
    """True if ``text`` is 8 characters of the alphabet with a matching check character."""
    t = text.strip().upper()
    if len(t) != RECEIPT_BODY_CHARS + 1 or any(c not in RECEIPT_ALPHABET for c in t):
        return False
    return _luhn_mod_n(t[:-1]) == t[-1]


def receipt_number_display(number: str) -> str:
    """``ABCD-EFGH`` for reading aloud."""
    return f"{number[:4]}-{number[4:]}"
