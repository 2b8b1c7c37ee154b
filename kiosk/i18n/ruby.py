"""Ruby (furigana) in catalog strings: ``《住所｜じゅうしょ》`` = base 住所 with reading じゅうしょ.

Why full-width 《｜》: the catalogs' placeholders are ``{name}`` (``str.format``) and Kivy markup
uses ``[ ]``, so neither may delimit ruby; 《 》 and ｜ appear in no other catalog string.

Two forms:

* **notation** (the ``.po`` sources): ``《base｜reading》``, checked by :func:`parse`, which
  raises :class:`RubySyntaxError` for unbalanced brackets or an empty base/reading;
* **marked** (what the catalog layer hands to the screens): :func:`to_marked` turns each group
  into the Unicode interlinear annotation characters U+FFF9 base U+FFFA reading U+FFFB. Only
  these trigger ruby drawing (:func:`parse_marked`), so text that did not come from a ruby
  catalog — names and addresses from the card or typed on the kana keyboard, with or without
  《｜》 — is never read as ruby. Neither the card's JIS text nor the keyboard can produce
  U+FFF9–U+FFFB (private-use characters were avoided: resident systems map 外字 there).
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN, SEP, CLOSE = "《", "｜", "》"
ANCHOR, SEPARATOR, TERMINATOR = "\ufff9", "\ufffa", "\ufffb"
MARKERS = ANCHOR + SEPARATOR + TERMINATOR


class RubySyntaxError(ValueError):
    """A malformed ruby group; ``position`` is the index in the text."""

    def __init__(self, text: str, position: int, reason: str) -> None:
        super().__init__(f"{reason} at {position}: {text!r}")
        self.position = position
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Segment:
    """Plain text (``reading is None``) or a base with its reading."""

    text: str
    reading: str | None = None


def _split(text: str, opener: str, sep: str, closer: str, *, strict: bool) -> list[Segment]:
    """Segments of ``text``; with ``strict=False`` a malformed group stays literal text."""
    out: list[Segment] = []
    plain: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == opener:
            end = text.find(closer, i + 1)
            group = text[i + 1 : end] if end != -1 else ""
            base, _, reading = group.partition(sep)
            reason = ""
            if end == -1:
                reason = "unclosed ruby group"
            elif opener in group:
                reason = "nested ruby group"
            elif group.count(sep) != 1:
                reason = "ruby group needs exactly one separator"
            elif not base.strip() or not reading.strip():
                reason = "empty ruby base or reading"
            if not reason:
                if plain:
                    out.append(Segment("".join(plain)))
                    plain = []
                out.append(Segment(base, reading))
                i = end + 1
                continue
            if strict:
                raise RubySyntaxError(text, i, reason)
        elif strict and ch in (sep, closer):
            raise RubySyntaxError(text, i, f"{ch!r} outside a ruby group")
        plain.append(ch)
        i += 1
    if plain:
        out.append(Segment("".join(plain)))
    return out


def parse(text: str) -> list[Segment]:
    """Segments of a catalog string in 《base｜reading》 notation; raises on bad syntax."""
    return _split(text, OPEN, SEP, CLOSE, strict=True)


def has_notation(text: str) -> bool:
    """True when ``text`` uses one of the notation's delimiters."""
    return any(ch in text for ch in (OPEN, SEP, CLOSE))


def to_marked(text: str) -> str:
    """The catalog string with each group as interlinear annotation markers (validated)."""
    return "".join(
        seg.text
        if seg.reading is None
        else f"{ANCHOR}{seg.text}{SEPARATOR}{seg.reading}{TERMINATOR}"
        for seg in parse(text)
    )


def has_ruby(text: str) -> bool:
    """True when ``text`` holds a marked ruby group (cheap test for the label switch)."""
    return ANCHOR in text and TERMINATOR in text


def parse_marked(text: str) -> list[Segment]:
    """Segments of marked text; malformed marker runs are kept as literal text."""
    return _split(text, ANCHOR, SEPARATOR, TERMINATOR, strict=False)


def _segments(text: str) -> list[Segment]:
    """Marked text, or a catalog string in the notation, as segments (else one segment)."""
    if has_ruby(text):
        return parse_marked(text)
    if has_notation(text):
        return parse(text)
    return [Segment(text)]


def plain_text(text: str) -> str:
    """Marked text with the readings dropped (for places that cannot draw ruby); typed
    《｜》 notation stays as it is."""
    if has_ruby(text):
        return "".join(seg.text for seg in parse_marked(text))
    return text


def reading_text(text: str) -> str:
    """Marked or notation text as it is read aloud: each group by its reading."""
    return "".join(seg.reading or seg.text for seg in _segments(text))
