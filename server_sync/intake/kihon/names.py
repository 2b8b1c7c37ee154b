"""Names as the 住記 wants them: 氏/名 split, alphabet vs kanji, and the 字形要確認 flag.

Names are never normalised (no NFKC): the exported text is the card's or the resident's own.
"""

from __future__ import annotations

import re

from kiosk.forms.charset import outside_jis_x0208

#: separators between 氏 and 名: U+3000 (the card) or an ASCII space (typed)
NAME_SEPARATORS = ("\u3000", " ")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff' .,\-]+")
GLYPH_SEPARATOR = " "


def split_name(name: str) -> tuple[str, str]:
    """``"山田 太郎"`` → ``("山田", "太郎")``; without a separator everything is the 氏."""
    cut = min((i for i in (name.find(s) for s in NAME_SEPARATORS) if i >= 0), default=-1)
    if cut < 0:
        return name, ""
    return name[:cut], name[cut + 1 :].strip("\u3000 ")


def is_alphabet_name(name: str) -> bool:
    """True when the name is written in the Latin alphabet (a foreign resident's ローマ字 name)."""
    return bool(_LATIN_RE.fullmatch(name))


def glyph_check(*texts: str) -> tuple[str, ...]:
    """Characters needing 文字同定 (outside JIS X 0208: 𠮷, 髙, IVS, private use), in order."""
    seen: list[str] = []
    for text in texts:
        seen += [ch for ch in outside_jis_x0208(text) if ch not in seen]
    return tuple(seen)


def glyph_list(chars: tuple[str, ...]) -> str:
    """``("𠮷", "髙")`` → ``"𠮷(U+20BB7) 髙(U+9AD9)"`` (the code point tells look-alikes apart)."""
    return GLYPH_SEPARATOR.join(f"{ch}(U+{ord(ch):04X})" for ch in chars)
