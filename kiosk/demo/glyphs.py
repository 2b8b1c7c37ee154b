"""Characters a label would draw as empty boxes: SDL_ttf has no font fallback, so a character
outside its font's cmap (a ``▼`` in the Devanagari face) shows as a box ("tofu").

The label's markup ``[font=…]`` spans are honoured (the Nepali UI sets Latin and kanji runs in
the CJK face); each face's cmap is read once per process into a bit set
(:mod:`kiosk.demo.cmap_bits`: a few hundred kB, so the app's memory figures stay the app's).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from kivy.core.text import LabelBase
from kivy.uix.label import Label

from kiosk.demo.cmap_bits import CodePoints, code_points

#: a ``[font=NAME]…[/font]`` span of Kivy markup
FONT_SPAN = re.compile(r"\[font=([^\]]+)\](.*?)\[/font\]", re.S)
#: any other markup tag (left out: it is not drawn)
MARKUP_TAG = re.compile(r"\[/?[a-z_]+(?:=[^\]]*)?\]")
#: what ``escape_markup`` turns ``&``, ``[`` and ``]`` into
MARKUP_ESCAPES = (("&bl;", "["), ("&br;", "]"), ("&amp;", "&"))
#: never drawn as a glyph: joiners, variation selectors, the soft hyphen
INVISIBLE = re.compile(r"[\s\u00ad\u200b-\u200f\u2060\ufe00-\ufe0f\U000e0100-\U000e01ef]")
#: the interlinear annotation marks around ruby (やさしい日本語): a ruby label draws the
#: reading above the base text instead of them
RUBY_MARKS = re.compile(r"[\ufff9-\ufffb]")


@functools.cache
def _cmap(path: str) -> CodePoints:
    """The code points a font file maps (the first face of a collection, as SDL_ttf opens)."""
    return code_points(path)


def _font_file(name: str) -> str | None:
    """The regular file of a registered Kivy font name (or the name, if it is a file)."""
    registered = LabelBase._fonts.get(name)
    path = registered[0] if registered else name
    return path if path and Path(path).is_file() else None


def _runs(label: Label) -> list[tuple[str, str]]:
    """(font name, drawn text) runs of a label."""
    text, base = label.text, label.font_name
    if not label.markup:
        return [(base, text)]
    runs, pos = [], 0
    for span in FONT_SPAN.finditer(text):
        runs += [(base, text[pos : span.start()]), (span.group(1), span.group(2))]
        pos = span.end()
    runs.append((base, text[pos:]))
    out = []
    for font, part in runs:
        part = MARKUP_TAG.sub("", part)
        for escaped, char in MARKUP_ESCAPES:
            part = part.replace(escaped, char)
        out.append((font, part))
    return out


def missing_glyphs(label: Label) -> list[str]:
    """``'▼' U+25BC in KioskDevanagari`` for every character the label's faces cannot draw."""
    found: list[str] = []
    ruby = type(label._label).__name__ == "RubyCoreLabel"
    for font, text in _runs(label):
        text = RUBY_MARKS.sub("", text) if ruby else text
        path = _font_file(font)
        if path is None or not text:
            continue
        cmap = _cmap(path)
        for char in dict.fromkeys(INVISIBLE.sub("", text)):
            if ord(char) not in cmap:
                found.append(f"{char!r} U+{ord(char):04X} in {font}")
    return found
