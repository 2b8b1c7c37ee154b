"""Base45 (RFC 9285): binary as text in the QR alphanumeric character set."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE = 45
_BASE2 = _BASE * _BASE
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """Text that is not valid base45."""


def encoded_length(n_bytes: int) -> int:
    """Characters needed for ``n_bytes`` bytes (3 per pair, 2 for a trailing byte)."""
    return 3 * (n_bytes // 2) + 2 * (n_bytes % 2)


def b45encode(data: bytes) -> str:
    """Encode bytes to base45 text."""
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        e, rest = divmod(n, _BASE2)
        d, c = divmod(rest, _BASE)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], _BASE)
        out += (ALPHABET[c], ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Decode base45 text; raises ``Base45Error`` on bad characters, length or values."""
    if len(text) % 3 == 1:
        raise Base45Error("base45 length must not be 1 modulo 3")
    try:
        values = [_INDEX[c] for c in text]
    except KeyError as err:
        raise Base45Error(f"not a base45 character: {err.args[0]!r}") from None
    out = bytearray()
    for i in range(0, len(values), 3):
        group = values[i : i + 3]
        if len(group) == 3:
            n = group[0] + group[1] * _BASE + group[2] * _BASE2
            if n > 0xFFFF:
                raise Base45Error("base45 triple out of range")
            out += n.to_bytes(2, "big")
        else:
            n = group[0] + group[1] * _BASE
            if n > 0xFF:
                raise Base45Error("base45 pair out of range")
            out.append(n)
    return bytes(out)
