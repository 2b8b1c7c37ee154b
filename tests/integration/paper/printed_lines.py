"""Finding printed text lines on decoded receipt pictures, OCR-free.

Every text line of the paper is drawn by the same renderer as a line drawn alone with the same
font, size and margin; a line is "printed" where its ink appears at its place across.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageOps

from kiosk.forms.fonts import FontRole
from kiosk.forms.render.layout import WHITE, MissingLog, Style, draw_stack, text_block, to_one_bit
from kiosk.forms.render.receipt import SIDE_MARGIN_DOTS, content_width
from kiosk.hardware.printer.profiles import TM_T20II, PrinterProfile

#: ink of a neighbouring line inside a line's box may be at most 1/50 of the line's own ink
EXTRA_INK_SHARE = 50


def ink(image: Image.Image) -> Image.Image:
    """Ink as white on black ("L"), so that ``getbbox`` finds it."""
    return ImageOps.invert(image.convert("L")).point(lambda v: 255 if v >= 128 else 0)


def bands(picture: Image.Image) -> list[Image.Image]:
    """Each run of rows holding ink, cropped to its ink box (one printed line each)."""
    width, height = picture.size
    rows = [picture.crop((0, y, width, y + 1)).getbbox() is not None for y in range(height)]
    out: list[Image.Image] = []
    start = None
    for y, has in enumerate([*rows, False]):
        if has and start is None:
            start = y
        elif not has and start is not None:
            band = picture.crop((0, start, width, y))
            box = band.getbbox()
            assert box is not None
            out.append(band.crop(box))
            start = None
    return out


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


@dataclass(frozen=True)
class Line:
    """The first printed row of a text, drawn alone: its ink and where it starts across."""

    x: int
    ink: Image.Image


def line_of(text: str, size: int, indent: int = 0, profile: PrinterProfile = TM_T20II) -> Line:
    """A line drawn alone the way the receipt draws it (same font, size, margin)."""
    width = content_width(profile)
    block = text_block(text, Style(FontRole.TEXT, size), MissingLog(), indent=indent)
    canvas = Image.new("L", (profile.width_dots, block.height(width) + 8), WHITE)
    draw_stack(canvas, [block], SIDE_MARGIN_DOTS, 4, width)
    drawn = ink(to_one_bit(canvas))
    first = bands(drawn)[0]  # a wrapped text: its first row is enough to find it
    top = next(y for y in range(drawn.height) if drawn.crop((0, y, drawn.width, y + 1)).getbbox())
    box = drawn.crop((0, top, drawn.width, top + first.height)).getbbox()
    assert box is not None
    return Line(box[0], first)


def inked(image: Image.Image) -> int:
    return image.histogram()[255]


def printed_at(paper: Image.Image, line: Line) -> list[int]:
    """The rows where this line's ink is printed at its place across: every dot of the line is
    black on the paper, and hardly any other (a neighbour's descender may reach into its box)."""
    w, h = line.ink.size
    top = line.ink.crop((0, 0, w, 1))
    allowed = max(4, inked(line.ink) // EXTRA_INK_SHARE)
    found = []
    for y in range(paper.height - h + 1):
        if ImageChops.subtract(top, paper.crop((line.x, y, line.x + w, y + 1))).getbbox():
            continue
        box = paper.crop((line.x, y, line.x + w, y + h))
        if ImageChops.subtract(line.ink, box).getbbox() is None and (
            inked(ImageChops.subtract(box, line.ink)) <= allowed
        ):
            found.append(y)
    return found


def next_line(upper: list[int], lower: list[int], size: int) -> bool:
    """Each ``lower`` line starts right below its ``upper`` one (within two line pitches)."""
    return len(upper) == len(lower) and all(
        0 < b - a < 2 * size for a, b in zip(upper, lower, strict=True)
    )
