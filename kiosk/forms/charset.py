"""Character checks for names: what a JIS X 0208 font or keyboard cannot show."""

from __future__ import annotations

_JIS_X_0208_CODEC = "shift_jis"  # Python's shift_jis = ASCII/JIS X 0201 + JIS X 0208 only


def outside_jis_x0208(text: str) -> tuple[str, ...]:
    """Distinct characters of ``text`` not in JIS X 0208 (e.g. 𠮷, 髙), in order of appearance."""
    seen: list[str] = []
    for ch in text:
        if ch in seen:
            continue
        try:
            ch.encode(_JIS_X_0208_CODEC)
        except UnicodeEncodeError:
            seen.append(ch)
    return tuple(seen)
