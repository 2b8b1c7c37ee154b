"""UUIDv7 message ids (time-ordered, also the intake's idempotency key)."""

from __future__ import annotations

import os
import re
import time
import uuid

_UUID7_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
_VERSION_7 = 0x7
_VARIANT_RFC4122 = 0b10


def new_uuid7(now_ms: int | None = None) -> str:
    """Return a new UUIDv7 (RFC 9562) as lower-case text."""
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")  # 80 random bits, 74 used
    rand_a = rand >> 68 & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= _VERSION_7 << 76 | rand_a << 64 | _VARIANT_RFC4122 << 62 | rand_b
    return str(uuid.UUID(int=value))


def is_uuid7(text: str) -> bool:
    """Whether ``text`` is a lower-case canonical UUIDv7."""
    return bool(_UUID7_RE.match(text))
