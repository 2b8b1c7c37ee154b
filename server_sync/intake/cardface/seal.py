"""The 職印 image: the ward's PNG, or a neutral sample seal drawn here for demos and tests.

The sample reads 「見本職印」 (sample official seal) in a double square frame — drawn from
scratch, not modelled on any real seal. A ward configures its own PNG (``seal_png``).
"""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SAMPLE_SIZE_PX = 480
SAMPLE_TEXT = ("見本", "職印")  # right column, then left column (seals read right to left)
FRAME_OUTER = 0.04  # frame widths as a share of the side
FRAME_INNER = 0.015
FRAME_GAP = 0.03
INK = 0
PAPER = 255


@functools.lru_cache(maxsize=4)
def sample_seal(font_path: Path, size_px: int = SAMPLE_SIZE_PX) -> Image.Image:
    """A square grey-scale sample seal (0 = ink, 255 = blank)."""
    image = Image.new("L", (size_px, size_px), PAPER)
    draw = ImageDraw.Draw(image)
    outer = round(size_px * FRAME_OUTER)
    draw.rectangle((0, 0, size_px - 1, size_px - 1), outline=INK, width=outer)
    inset = outer + round(size_px * FRAME_GAP)
    inner = max(1, round(size_px * FRAME_INNER))
    draw.rectangle(
        (inset, inset, size_px - 1 - inset, size_px - 1 - inset), outline=INK, width=inner
    )
    cell = (size_px - 2 * (inset + inner)) // 2
    font = ImageFont.truetype(str(font_path), round(cell * 0.9))
    origin = inset + inner
    for column, pair in enumerate(SAMPLE_TEXT):  # column 0 = right
        x = origin + (1 - column) * cell + cell // 2
        for row, ch in enumerate(pair):
            y = origin + row * cell + cell // 2
            draw.text((x, y), ch, fill=INK, font=font, anchor="mm")
    return image


def load_seal(path: Path | None, font_path: Path) -> Image.Image:
    """The seal as grey-scale (transparent parts blank): the ward's PNG, else the sample."""
    if path is None:
        return sample_seal(font_path)
    with Image.open(path) as raw:
        rgba = raw.convert("RGBA")
    blank = Image.new("RGBA", rgba.size, (PAPER, PAPER, PAPER, 255))
    return Image.alpha_composite(blank, rgba).convert("L")
