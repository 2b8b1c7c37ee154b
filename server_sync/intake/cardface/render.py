"""Drawing one card's 追記: 届出日 (和暦) and 異動事由, the new address, the 方書, the 職印.

The entry starts on line ``first_line`` of the 追記欄's line grid (lines above may already be
used) with the font size asked for. Characters outside JIS X 0208 are drawn from IPAmj明朝, the
rest from the form's font (IPAex明朝); a character neither font has is refused
(:class:`GlyphMissingError`), never replaced. Everything is drawn on a canvas the size of the
追記欄 and pasted there, so no ink can land outside the box.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont, ImageOps

from kiosk.forms.charset import outside_jis_x0208

from .errors import BoxFullError, CardFaceError, GlyphMissingError
from .seal import INK, PAPER, load_seal
from .settings import MAX_FIRST_LINE, MAX_FONT_PT, MIN_FONT_PT, CardFaceSettings
from .targets import CardFaceJob

IDEOGRAPHIC_SPACE = "\u3000"
SEAL_GAP_MM = 1.0
#: line height as a share of the font size (CJK glyphs fill the em box)
LINE_HEIGHT = 1.15
ASCENT = 0.88  # baseline below the line top, as a share of the font size
SUPERSAMPLE = 4
_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


@dataclass(frozen=True, slots=True)
class PrintOptions:
    """What the clerk may change per print: the first free line and the font size."""

    first_line: int
    font_pt: float


def checked_options(
    settings: CardFaceSettings, first_line: int | None, font_pt: float | None
) -> PrintOptions:
    """The ward's defaults, overridden per print (CardFaceError when out of range)."""
    line = settings.first_line if first_line is None else first_line
    size = settings.font_pt if font_pt is None else font_pt
    if not 1 <= line <= MAX_FIRST_LINE:
        raise CardFaceError(f"first line must be 1..{MAX_FIRST_LINE}")
    if not (MIN_FONT_PT <= size <= MAX_FONT_PT):
        raise CardFaceError(f"font size must be {MIN_FONT_PT}..{MAX_FONT_PT} pt")
    return PrintOptions(line, size)


@functools.lru_cache(maxsize=4)
def font_codepoints(path: Path) -> frozenset[int]:
    """The characters a font maps (its best cmap)."""
    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@functools.lru_cache(maxsize=16)
def _font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size_px)


def _is_selector(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _SELECTORS)


def _clusters(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        if out and _is_selector(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def font_for(cluster: str, settings: CardFaceSettings) -> Path:
    """IPAmj明朝 outside JIS X 0208 (or with a variation selector), else the form's font."""
    base = ord(cluster[0])
    if len(cluster) > 1 or outside_jis_x0208(cluster):
        if base not in font_codepoints(settings.gaiji_font):
            raise GlyphMissingError(base, settings.gaiji_font.name)
        return settings.gaiji_font
    if base in font_codepoints(settings.font):
        return settings.font
    if base in font_codepoints(settings.gaiji_font):
        return settings.gaiji_font
    raise GlyphMissingError(base, settings.font.name)


Run = tuple[Path, str]


def _runs(text: str, settings: CardFaceSettings) -> list[Run]:
    runs: list[Run] = []
    for cluster in _clusters(text):
        path = font_for(cluster, settings)
        if runs and runs[-1][0] == path:
            runs[-1] = (path, runs[-1][1] + cluster)
        else:
            runs.append((path, cluster))
    return runs


def _width(cluster: str, settings: CardFaceSettings, size_px: int) -> float:
    return float(_font(font_for(cluster, settings), size_px).getlength(cluster[0]))


def wrap(text: str, width_px: int, settings: CardFaceSettings, size_px: int) -> list[str]:
    """Greedy wrap by character (addresses have no word breaks); no line starts with a space."""
    lines: list[str] = []
    line, used = "", 0.0
    for cluster in _clusters(text):
        advance = _width(cluster, settings, size_px)
        if line and used + advance > width_px:
            lines.append(line)
            line, used = "", 0.0
            if cluster == IDEOGRAPHIC_SPACE:
                continue
        line += cluster
        used += advance
    if line:
        lines.append(line)
    return lines


def entry_lines(
    job: CardFaceJob, width_px: int, settings: CardFaceSettings, size_px: int
) -> list[str]:
    """The entry as wrapped lines: 届出日 and 異動事由, 住所, then the 方書 on its own line(s)."""
    head = f"{job.notified_on}{IDEOGRAPHIC_SPACE}{job.reason}届出"
    lines = wrap(head, width_px, settings, size_px)
    lines += wrap(f"住所{IDEOGRAPHIC_SPACE}{job.address}", width_px, settings, size_px)
    if job.katagaki:
        lines += wrap(f"{IDEOGRAPHIC_SPACE * 3}{job.katagaki}", width_px, settings, size_px)
    return lines


def render(job: CardFaceJob, settings: CardFaceSettings, options: PrintOptions) -> Image.Image:
    """The card image (grey-scale, card size at the printer's dpi) with ink only in the 追記欄.

    The 追記欄 is drawn at ``SUPERSAMPLE`` times the resolution and reduced by area averaging:
    the thin horizontal strokes of a 明朝 face at 6 pt would otherwise be lost to hinting.
    """
    left, top, right, bottom = settings.box_px(job.card)
    box_w, box_h = right - left, bottom - top
    pitch = settings.line_pitch_mm * settings.dpi / 25.4
    size_px = settings.font_px(options.font_pt)
    slots_per_line = max(1, math.ceil(size_px * LINE_HEIGHT / pitch))
    lines_in_box = int(box_h // pitch)
    seal_px = settings.px(settings.seal_mm)
    lines = entry_lines(job, box_w - seal_px - settings.px(SEAL_GAP_MM), settings, size_px)
    first_slot = options.first_line - 1
    slots = max(len(lines) * slots_per_line, math.ceil(seal_px / pitch))
    if first_slot + slots > lines_in_box:
        raise BoxFullError(slots, options.first_line, lines_in_box)
    k = SUPERSAMPLE
    canvas = Image.new("L", (box_w * k, box_h * k), PAPER)
    draw = ImageDraw.Draw(canvas)
    big = size_px * k
    for i, line in enumerate(lines):
        line_top = (first_slot + i * slots_per_line) * pitch * k
        spare = slots_per_line * pitch * k - big * LINE_HEIGHT
        baseline = round(line_top + big * ASCENT + spare / 2)
        x = 0.0
        for path, run in _runs(line, settings):
            font = _font(path, big)
            draw.text((x, baseline), run, fill=INK, font=font, anchor="ls")
            x += font.getlength(run)
    seal = load_seal(settings.seal_png, settings.font)
    scale = seal_px * k / max(seal.width, seal.height)
    seal = seal.resize(
        (max(1, round(seal.width * scale)), max(1, round(seal.height * scale))),
        Image.Resampling.LANCZOS,
    )
    mask = ImageOps.invert(seal)  # ink → opaque
    canvas.paste(seal, (box_w * k - seal.width, round(first_slot * pitch * k)), mask=mask)
    image = Image.new("L", settings.card_px, PAPER)
    image.paste(canvas.resize((box_w, box_h), Image.Resampling.BOX), (left, top))
    return image


def render_png(job: CardFaceJob, settings: CardFaceSettings, options: PrintOptions) -> bytes:
    """:func:`render` as PNG bytes carrying the printer resolution (pHYs)."""
    out = io.BytesIO()
    render(job, settings, options).save(
        out, format="PNG", dpi=(settings.dpi, settings.dpi), optimize=False
    )
    return out.getvalue()
