"""Matching what a resident types against a town's name, kana reading and romaji.

Kana are compared without voicing marks and small kana (``シンシュク`` finds シンジュク), latin
letters without case, macrons, spaces or hyphens and with long vowels folded (``ookubo`` finds
Ōkubo / Okubo). Typed hiragana counts as katakana.
"""

from __future__ import annotations

import unicodedata

from kiosk.forms.master.kana import search_key

#: small kana → their full-size letters (a search ignores the difference)
_SMALL_TO_LARGE = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_VOICING = ("\u3099", "\u309a")
#: Hepburn long vowels as residents type them → one vowel
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"))

PREFIX = 0  # rank: the reading starts with the query
INSIDE = 1  # rank: the query appears inside the reading
NO_MATCH = 2


def kana_key(text: str) -> str:
    """Katakana without voicing marks, small kana enlarged, no spaces (``じゅ`` → ``シユ``)."""
    decomposed = unicodedata.normalize("NFD", search_key(text))
    plain = "".join(ch for ch in decomposed if ch not in _VOICING)
    return plain.translate(_SMALL_TO_LARGE).replace("ー", "")


def latin_key(text: str) -> str:
    """Lower-case letters and digits only, macrons dropped, long vowels folded."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    out = "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())
    for long, short in _LONG_VOWELS:
        out = out.replace(long, short)
    return out


def is_latin_query(query: str) -> bool:
    """Whether the resident typed latin letters (then the romaji is searched)."""
    return any(ch.isascii() and ch.isalpha() for ch in query)


def matches_reading(query: str, name: str, kana: str, roma: str) -> int:
    """How well a town matches: ``PREFIX``, ``INSIDE`` or ``NO_MATCH``."""
    if is_latin_query(query):
        wanted, haystacks = latin_key(query), [latin_key(roma)]
    else:
        wanted, haystacks = kana_key(query), [kana_key(kana), search_key(name)]
    if not wanted:
        return PREFIX
    if any(h.startswith(wanted) for h in haystacks):
        return PREFIX
    if any(wanted in h for h in haystacks):
        return INSIDE
    return NO_MATCH
