"""A Kivy core label that draws furigana (ruby) above kanji, laid out and drawn with Pillow.

SDL_ttf draws one line of glyphs; ruby needs a second, smaller row centred over each base.
Only labels whose text holds marked ruby groups (``kiosk.i18n.ruby``: the catalog of a ruby
language) use this class; every other label keeps Kivy's SDL2 path.

Layout: a group is never split; lines break at spaces (分かち書き) first, otherwise between
characters (not before closing punctuation such as 、。）). Every line has the same height: the
font's ascent and descent plus the room the ruby row needs above the kanji. Ruby is set at
``RUBY_SCALE`` of the font size, centred over its base (a base narrower than its reading is
widened and centred under it). Kivy markup is not interpreted: ``widget_text``'s font tags are
dropped and its escapes undone (ruby languages use the CJK font throughout).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from kivy.core.image import ImageData
from kivy.core.text import LabelBase
from PIL import Image, ImageDraw, ImageFont

from kiosk.i18n.ruby import parse_marked

RUBY_SCALE = 0.5
#: space between the top of the kanji and the bottom of the ruby, in font sizes
RUBY_GAP = 0.04
#: a line may not start with these (kinsoku), when a word has to break between characters
NO_LINE_START = frozenset(
    "、。，．,.)）」』】〕〉》！？!?ーっゃゅょぁぃぅぇぉッャュョァィゥェォ…・：:；;"
)
_TAG = re.compile(r"\[/?[a-z_]+(?:=[^\]]*)?\]")
_ENTITIES = (("&bl;", "["), ("&br;", "]"), ("&amp;", "&"))

Font = ImageFont.FreeTypeFont


def markup_to_plain(text: str) -> str:
    """Kivy markup without its tags, escapes undone."""
    text = _TAG.sub("", text)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


@dataclass(frozen=True, slots=True)
class Atom:
    """The smallest unit of a line: one character, or a ruby group (never split)."""

    text: str
    reading: str | None
    width: float  # advance
    base_x: float = 0.0  # where the base starts in the advance
    ruby_x: float = 0.0  # where the ruby starts (negative: it overhangs the previous character)


@dataclass(frozen=True, slots=True)
class Metrics:
    """Vertical layout of one line, in pixels from the line's top."""

    baseline: int
    height: int
    ruby_raise: int  # ruby baseline above the base baseline


def _group(text: str, reading: str, font: Font, ruby_font: Font, sides: tuple[bool, bool]) -> Atom:
    """A ruby group's box. A reading wider than its base may overhang neighbouring characters
    (not spaces, not other groups) by up to one ruby character a side. At the start of a word
    the reading starts with the base, at its end it ends with it; in between it is centred.
    """
    base_w, ruby_w = font.getlength(text), ruby_font.getlength(reading)
    excess = ruby_w - base_w
    if excess <= 0:
        return Atom(text, reading, base_w, 0.0, -excess / 2)
    limit = float(ruby_font.size)
    left, right = (min(excess, limit) if ok else 0.0 for ok in sides)
    if not sides[0]:  # begins a word or line: the reading starts with the base
        return Atom(text, reading, ruby_w - right, 0.0, 0.0)
    if not sides[1]:  # ends a word: the reading ends with the base
        return Atom(text, reading, ruby_w - left, ruby_w - left - base_w, -left)
    side = min(excess / 2, left, right)
    return Atom(text, reading, ruby_w - 2 * side, excess / 2 - side, -side)


def atoms(text: str, font: Font, ruby_font: Font) -> list[Atom]:
    """Characters and ruby groups of ``text`` (marked form), with their advance widths."""
    segments = parse_marked(text)

    def plain_char(index: int, at_end: bool) -> bool:
        if not 0 <= index < len(segments) or segments[index].reading is not None:
            return False
        chars = segments[index].text
        return not (chars[-1] if at_end else chars[0]).isspace()

    out: list[Atom] = []
    for i, seg in enumerate(segments):
        if seg.reading is None:
            out.extend(Atom(ch, None, font.getlength(ch)) for ch in seg.text)
        else:
            sides = (plain_char(i - 1, True), plain_char(i + 1, False))
            out.append(_group(seg.text, seg.reading, font, ruby_font, sides))
    return out


def _words(line: list[Atom]) -> list[list[Atom]]:
    """Words separated by (and keeping, at their end) spaces."""
    words: list[list[Atom]] = [[]]
    for atom in line:
        words[-1].append(atom)
        if atom.reading is None and atom.text.isspace():
            words.append([])
    return [w for w in words if w]


def _runs(line: list[Atom]) -> list[list[Atom]]:
    """Runs of plain characters (drawn as one string), each ruby group on its own."""
    runs: list[list[Atom]] = []
    for atom in line:
        if atom.reading is None and runs and runs[-1][0].reading is None:
            runs[-1].append(atom)
        else:
            runs.append([atom])
    return runs


def _width(run: list[Atom]) -> float:
    return sum(a.width for a in run)


def _trimmed(run: list[Atom]) -> list[Atom]:
    end = len(run)
    while end and run[end - 1].reading is None and run[end - 1].text.isspace():
        end -= 1
    return run[:end]


def _break_word(word: list[Atom], room: float, width: float) -> list[list[Atom]]:
    """Pieces of a word too long for a line: the first fills ``room``, the others ``width``."""
    pieces: list[list[Atom]] = []
    current: list[Atom] = []
    limit = room
    for atom in word:
        overflows = _width(current) + atom.width > limit and not atom.text.isspace()
        if overflows and (current or limit < width):
            cut = len(current)  # 0: not even one atom fits the room left on the line
            if cut > 1 and atom.reading is None and atom.text in NO_LINE_START:
                cut -= 1  # carry the previous character along: a mark never starts a line
            pieces.append(current[:cut])
            current = current[cut:]
            limit = width
        current.append(atom)
    pieces.append(current)
    return pieces


def wrap(items: list[Atom], width: float | None) -> list[list[Atom]]:
    """Lines of atoms: break at ``\\n``, then at spaces, then between characters."""
    lines: list[list[Atom]] = []
    paragraph: list[Atom] = []
    paragraphs: list[list[Atom]] = []
    for atom in items:
        if atom.reading is None and atom.text == "\n":
            paragraphs.append(paragraph)
            paragraph = []
        else:
            paragraph.append(atom)
    paragraphs.append(paragraph)
    for para in paragraphs:
        if width is None:
            lines.append(para)
            continue
        line: list[Atom] = []
        for word in _words(para):
            if _width(_trimmed(line + word)) <= width:
                line += word
                continue
            if line and _width(_trimmed(word)) <= width:
                lines.append(_trimmed(line))
                line = list(word)
                continue
            pieces = _break_word(word, width - _width(line), width)
            if not pieces[0]:
                pieces = pieces[1:]
                if _trimmed(line):
                    lines.append(_trimmed(line))
                line = []
            for piece in pieces[:-1]:
                lines.append(_trimmed(line + piece))
                line = []
            line = line + pieces[-1]
        lines.append(_trimmed(line))
    return lines


def metrics(font: Font, ruby_font: Font, size: float) -> Metrics:
    """Where the base and ruby baselines sit in a line, and the line height."""
    ascent, descent = font.getmetrics()
    kanji_top = -int(font.getbbox("漢", anchor="ls")[1])
    _left, ruby_top, _right, ruby_bottom = ruby_font.getbbox("あぎゃ漢", anchor="ls")
    gap = max(1, round(size * RUBY_GAP))
    ruby_raise = kanji_top + gap + max(0, int(ruby_bottom))
    top = max(int(ascent), ruby_raise - int(ruby_top) + 1)
    return Metrics(baseline=top, height=top + int(descent), ruby_raise=ruby_raise)


class RubyCoreLabel(LabelBase):
    """Kivy core label for text with marked ruby groups (see the module docstring)."""

    _fonts_by_key: ClassVar[dict[tuple[str, int], Font]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ruby_lines: list[list[Atom]] = []
        self._ruby_metrics = Metrics(0, 0, 0)

    @classmethod
    def _font(cls, path: str, size: int) -> Font:
        key = (path, size)
        if key not in cls._fonts_by_key:
            # Japanese needs no shaping; raqm's layout costs ~0.3 ms per measured string
            cls._fonts_by_key[key] = ImageFont.truetype(
                path, size, layout_engine=ImageFont.Layout.BASIC
            )
        return cls._fonts_by_key[key]

    def _pil_fonts(self) -> tuple[Font, Font, int]:
        size = max(1, round(float(self.options["font_size"])))
        path = str(self.options["font_name_r"])
        ruby_size = max(1, round(size * RUBY_SCALE))
        return self._font(path, size), self._font(path, ruby_size), size

    def render(self, real: bool = False) -> Any:
        """Layout pass (returns the texture size) or, with ``real``, draw into the texture."""
        if real:
            return self._draw()
        font, ruby_font, size = self._pil_fonts()
        left, top, right, bottom = (float(p) for p in self.options["padding"])
        uw, uh = self._text_size
        room = None if uw is None else max(1.0, float(uw) - left - right)
        text = markup_to_plain(self.text)
        if self.options["strip"]:
            text = text.strip()
        self._ruby_lines = lines = wrap(atoms(text, font, ruby_font), room)
        self._ruby_metrics = line = metrics(font, ruby_font, size)
        if not text:
            self._internal_size = (0, 0)
            return 0, 0
        content_w = max((_width(ln) for ln in lines), default=0.0)
        content_h = line.height * len(lines)
        self._internal_size = (int(content_w + left + right), int(content_h + top + bottom))
        w = max(float(uw) if uw is not None else 0.0, content_w + left + right)
        h = float(uh) if uh is not None else content_h + top + bottom
        return max(2, int(w + 0.999)), int(h + 0.999)

    def _draw(self) -> None:
        if self.texture is None:
            return
        font, ruby_font, _size = self._pil_fonts()
        width, height = self._size
        left, top, right, bottom = (float(p) for p in self.options["padding"])
        color = tuple(int(c * 255) for c in self.options["color"])
        image = Image.new("RGBA", (width, height), (*color[:3], 0))
        draw = ImageDraw.Draw(image)
        line = self._ruby_metrics
        content_h = line.height * len(self._ruby_lines)
        valign = self.options["valign"]
        if valign in ("middle", "center"):
            y = top + (height - top - bottom - content_h) / 2
        elif valign == "bottom":
            y = height - bottom - content_h
        else:
            y = top
        halign = self.options["halign"]
        inner = width - left - right
        for atoms_line in self._ruby_lines:
            free = inner - _width(atoms_line)
            x = left + (free / 2 if halign == "center" else free if halign == "right" else 0)
            baseline = round(y + line.baseline)
            for run in _runs(atoms_line):
                run_w = _width(run)
                head = run[0]
                if head.reading is None:
                    text = "".join(a.text for a in run)
                    draw.text((x, baseline), text, font=font, fill=color, anchor="ls")
                else:
                    base_xy = (x + head.base_x, baseline)
                    draw.text(base_xy, head.text, font=font, fill=color, anchor="ls")
                    # a reading overhanging the label's edge is pulled back inside
                    ruby_w = ruby_font.getlength(head.reading)
                    ruby_x = min(max(0.0, x + head.ruby_x), width - ruby_w)
                    ruby_xy = (ruby_x, baseline - line.ruby_raise)
                    draw.text(ruby_xy, head.reading, font=ruby_font, fill=color, anchor="ls")
                x += run_w
            y += line.height
        data = ImageData(width, height, "rgba", image.tobytes())
        self.texture.blit_data(data)
