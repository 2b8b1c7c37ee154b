"""Search-key normalisation for the picker: width, hiragana → katakana, no spaces."""

from __future__ import annotations

import re
import unicodedata

_HIRAGANA_FIRST = 0x3041
_HIRAGANA_LAST = 0x3096
_TO_KATAKANA = 0x60
_DROPPED = frozenset({" ", "\u3000", "・"})  # spaces and middle dots (after NFKC)


def search_key(text: str) -> str:
    """NFKC, hiragana folded to katakana, spaces and middle dots removed."""
    folded = unicodedata.normalize("NFKC", text)
    out = []
    for ch in folded:
        if ch in _DROPPED:
            continue
        code = ord(ch)
        if _HIRAGANA_FIRST <= code <= _HIRAGANA_LAST:
            ch = chr(code + _TO_KATAKANA)
        out.append(ch)
    return "".join(out)


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix + "\U0010ffff"


#: a romaji name as ABR writes it: latin letters (macrons allowed), digits, space, ' - . ( )
ROMA_RE = re.compile(r"[A-Za-z0-9ĀāĒēĪīŌōŪūÂâÊêÎîÔôÛû' .()\-]*")


def is_roma(text: str) -> bool:
    """True when ``text`` is a plausible romaji name (what the picker may show)."""
    return ROMA_RE.fullmatch(text) is not None
