"""Layout primitives shared by the receipt and the PDF: measured blocks stacked in a column.

Every text passes through :func:`kiosk.forms.fonts.prepare` when its block is built, so characters
the font lacks become 〓 and are collected (:class:`MissingLog`) for the clerk's footnote before
anything is drawn. Drawing happens on a grayscale canvas that is thresholded to 1 bit at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from PIL import Image, ImageDraw

from kiosk.forms.fonts import MissingChar, load_font, needs_shaping, prepare

# text measuring and line breaking live in render.text; re-exported for existing callers
from kiosk.forms.render.text import Style as Style
from kiosk.forms.render.text import font_runs as font_runs
from kiosk.forms.render.text import text_width as text_width
from kiosk.forms.render.text import wrap as wrap

BLACK = 0
WHITE = 255
THRESHOLD = 160


@dataclass(slots=True)
class MissingLog:
    """Characters replaced anywhere on the form, in first-seen order, without duplicates."""

    items: list[MissingChar] = field(default_factory=list)

    def add(self, found: Sequence[MissingChar]) -> None:
        """Record newly found problems."""
        for item in found:
            if item not in self.items:
                self.items.append(item)


class Block(Protocol):
    """Something with a height at a given width that can draw itself."""

    def height(self, width: int) -> int:
        """Pixels needed at this width."""
        ...

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Draw with the top-left corner at (x, y)."""
        ...


@dataclass(slots=True)
class TextBlock:
    """Wrapped text in one style, optionally indented."""

    text: str
    style: Style
    indent: int = 0
    center: bool = False
    _lines: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def lines(self, width: int) -> tuple[str, ...]:
        """The wrapped lines at this width (computed once per width)."""
        if width not in self._lines:
            self._lines[width] = wrap(self.text, self.style, width - self.indent)
        return self._lines[width]

    def height(self, width: int) -> int:
        """Lines × line height."""
        return len(self.lines(width)) * self.style.line_height

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Draw line by line."""
        pen = ImageDraw.Draw(canvas)
        for i, line in enumerate(self.lines(width)):
            left = x + self.indent
            if self.center:
                left = x + (width - int(text_width(line, self.style))) // 2
            top = y + i * self.style.line_height
            runs = font_runs(line, self.style.role)
            if len(runs) == 1 and runs[0][0] is self.style.role:
                font = load_font(self.style.role, self.style.size_px, needs_shaping(line))
                pen.text((left, top), line, font=font, fill=BLACK)
                continue
            # a fallback font (Devanagari) for part of the line: all runs share one baseline
            baseline = top + load_font(self.style.role, self.style.size_px).getmetrics()[0]
            pen_x = float(left)
            for drawn_by, run in runs:
                font = load_font(drawn_by, self.style.size_px, needs_shaping(run))
                pen.text((pen_x, baseline), run, font=font, fill=BLACK, anchor="ls")
                pen_x += font.getlength(run)


def text_block(
    text: str, style: Style, log: MissingLog, *, indent: int = 0, center: bool = False
) -> TextBlock:
    """A TextBlock whose text was checked against its font (replacements go to ``log``)."""
    prepared = prepare(text, style.role)
    log.add(prepared.missing)
    return TextBlock(prepared.text, style, indent=indent, center=center)


@dataclass(slots=True)
class FittedLine:
    """One centred line (the title) shrunk step by step until it fits the width unbroken."""

    text: str
    style: Style
    min_size_px: int

    def style_at(self, width: int) -> Style:
        """The largest style, down to ``min_size_px``, whose line fits ``width``."""
        size = self.style.size_px
        while size > self.min_size_px and text_width(self.text, self._sized(size)) > width:
            size -= 1
        return self._sized(size)

    def _sized(self, size: int) -> Style:
        return Style(self.style.role, size, self.style.line_gap_px)

    def _block(self, width: int) -> TextBlock:
        return TextBlock(self.text, self.style_at(width), center=True)

    def height(self, width: int) -> int:
        """One line at the fitted size (more only if even the minimum size does not fit)."""
        return self._block(width).height(width)

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Centred at the fitted size."""
        self._block(width).draw(canvas, x, y, width)


def fitted_line(text: str, style: Style, log: MissingLog, *, min_size_px: int) -> FittedLine:
    """A FittedLine whose text was checked against its font (replacements go to ``log``)."""
    prepared = prepare(text, style.role)
    log.add(prepared.missing)
    return FittedLine(prepared.text, style, min_size_px)


@dataclass(slots=True)
class Gap:
    """Vertical space."""

    pixels: int

    def height(self, width: int) -> int:  # noqa: ARG002 - same for every width
        """The fixed gap."""
        return self.pixels

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Nothing to draw."""


@dataclass(slots=True)
class Rule:
    """A horizontal line."""

    thickness: int = 2
    margin: int = 6

    def height(self, width: int) -> int:  # noqa: ARG002 - same for every width
        """Line plus margins."""
        return self.thickness + 2 * self.margin

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """A full-width rule."""
        top = y + self.margin
        ImageDraw.Draw(canvas).rectangle(
            (x, top, x + width - 1, top + self.thickness - 1), fill=BLACK
        )


@dataclass(slots=True)
class Column:
    """Blocks kept together (a label with its value never splits across pages)."""

    inner: list[Block]

    def height(self, width: int) -> int:
        """Sum of the parts."""
        return sum(b.height(width) for b in self.inner)

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Stack the parts."""
        for block in self.inner:
            block.draw(canvas, x, y, width)
            y += block.height(width)


@dataclass(slots=True)
class Boxed:
    """Blocks inside a rectangle with padding."""

    inner: list[Block]
    padding: int = 8
    border: int = 2

    def height(self, width: int) -> int:
        """Contents plus padding and border."""
        inner_w = width - 2 * (self.padding + self.border)
        return sum(b.height(inner_w) for b in self.inner) + 2 * (self.padding + self.border)

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Border, then the stacked contents."""
        h = self.height(width)
        ImageDraw.Draw(canvas).rectangle(
            (x, y, x + width - 1, y + h - 1), outline=BLACK, width=self.border
        )
        inner_w = width - 2 * (self.padding + self.border)
        cy = y + self.padding + self.border
        for block in self.inner:
            block.draw(canvas, x + self.padding + self.border, cy, inner_w)
            cy += block.height(inner_w)


@dataclass(slots=True)
class EmptyBox:
    """A labelled empty box to write or stamp in (signature)."""

    label: TextBlock
    box_height: int

    def height(self, width: int) -> int:
        """Label plus the box."""
        return self.label.height(width) + self.box_height

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Label above a rectangle."""
        self.label.draw(canvas, x, y, width)
        top = y + self.label.height(width)
        ImageDraw.Draw(canvas).rectangle(
            (x, top, x + width - 1, top + self.box_height - 1), outline=BLACK, width=3
        )


@dataclass(slots=True)
class StampCells:
    """A row of equal cells with a caption each (受付 / 入力 / 審査)."""

    title: TextBlock
    captions: list[TextBlock]
    cell_height: int

    def height(self, width: int) -> int:
        """Title plus the row."""
        return self.title.height(width) + self.cell_height

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Title, then cells with their captions at the top."""
        self.title.draw(canvas, x, y, width)
        top = y + self.title.height(width)
        pen = ImageDraw.Draw(canvas)
        n = len(self.captions)
        cell_w = width // n
        for i, caption in enumerate(self.captions):
            left = x + i * cell_w
            right = x + width - 1 if i == n - 1 else left + cell_w
            pen.rectangle((left, top, right, top + self.cell_height - 1), outline=BLACK, width=2)
            caption.draw(canvas, left + 6, top + 4, cell_w - 12)


@dataclass(slots=True)
class Picture:
    """A 1-bit image (a QR code) placed centred, never scaled."""

    image: Image.Image

    def height(self, width: int) -> int:  # noqa: ARG002 - the picture is never scaled
        """The image height."""
        return self.image.height

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Paste centred."""
        canvas.paste(self.image.convert("L"), (x + (width - self.image.width) // 2, y))


def stack_height(blocks: Sequence[Block], width: int) -> int:
    """Total height of blocks stacked at one width."""
    return sum(b.height(width) for b in blocks)


def draw_stack(canvas: Image.Image, blocks: Sequence[Block], x: int, y: int, width: int) -> int:
    """Draw blocks top to bottom; returns the y below the last one."""
    for block in blocks:
        block.draw(canvas, x, y, width)
        y += block.height(width)
    return y


_THRESHOLD_TABLE = [WHITE if v >= THRESHOLD else BLACK for v in range(256)]


def to_one_bit(canvas: Image.Image) -> Image.Image:
    """Threshold a grayscale canvas to a crisp 1-bit image (no dithering)."""
    return canvas.point(_THRESHOLD_TABLE, "1")


@dataclass(slots=True)
class Row:
    """Cells side by side, each a stack of blocks inside a ruled box; widths are fractions."""

    cells: list[list[Block]]
    fractions: list[float]
    padding: int = 8
    border: int = 2
    min_height: int = 0

    def _widths(self, width: int) -> list[int]:
        total = sum(self.fractions)
        widths = [int(width * f / total) for f in self.fractions]
        widths[-1] = width - sum(widths[:-1])
        return widths

    def height(self, width: int) -> int:
        """The tallest cell (contents plus padding)."""
        inner = [
            stack_height(cell, w - 2 * self.padding)
            for cell, w in zip(self.cells, self._widths(width), strict=True)
        ]
        return max(max([*inner, 0]) + 2 * self.padding, self.min_height)

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Ruled cells sharing their borders, contents top-left."""
        h = self.height(width)
        pen = ImageDraw.Draw(canvas)
        left = x
        for cell, w in zip(self.cells, self._widths(width), strict=True):
            if self.border:
                pen.rectangle((left, y, left + w - 1, y + h - 1), outline=BLACK, width=self.border)
            draw_stack(canvas, cell, left + self.padding, y + self.padding, w - 2 * self.padding)
            left += w


@dataclass(slots=True)
class PageBreak:
    """Forces the next block onto a new page (the PDF's continuation pages)."""

    def height(self, width: int) -> int:  # noqa: ARG002 - takes no room
        """Nothing."""
        return 0

    def draw(self, canvas: Image.Image, x: int, y: int, width: int) -> None:
        """Nothing to draw."""
