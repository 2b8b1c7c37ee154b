"""UUIDv7 filing ids (RFC 9562); ``uuid.uuid7`` only exists from Python 3.14."""

from __future__ import annotations

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
