"""The A4 PDF: the same content as the receipt at print resolution, paginated, 1-bit pages.

Pages are images (CCITT G4 in the PDF via Pillow), so no font is embedded in the file and what
prints is exactly what was checked for missing glyphs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from kiosk.forms.fonts import FontRole, MissingChar
from kiosk.forms.ids import receipt_number
from kiosk.forms.model import Filing
from kiosk.forms.render.form import QrPart
from kiosk.forms.render.layout import (
    WHITE,
    Block,
    MissingLog,
    PageBreak,
    Style,
    text_block,
    to_one_bit,
)
from kiosk.forms.render.qr import make_qr
from kiosk.forms.render.sheet import build_sheet, sheet_sizes
from kiosk.forms.render.sheet_card import build_card_sheet

PDF_DPI = 300
A4_MM = (210, 297)
MARGIN_MM = 15
#: 5 px per module at 300 dpi = 0.42 mm modules (office laser printers; scanners read ≥ 0.25 mm)
PDF_DOTS_PER_MODULE = 5
#: the code column beside the head boxes (a version-40 code falls back to fewer px per module)
PDF_QR_MAX_MM = 48


def _mm(mm: float, dpi: int = PDF_DPI) -> int:
    return round(mm * dpi / 25.4)


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """The PDF bytes and its page images (for tests and previews)."""

    data: bytes
    pages: tuple[Image.Image, ...]
    missing: tuple[MissingChar, ...]


def render_pdf(filing: Filing, parts: Sequence[str]) -> RenderedPdf:
    """Render the filing on A4 pages, moving a block to the next page when it does not fit."""
    sizes = sheet_sizes(PDF_DPI)
    page_w, page_h = _mm(A4_MM[0]), _mm(A4_MM[1])
    margin = _mm(MARGIN_MM)
    width = page_w - 2 * margin
    footer = Style(FontRole.TEXT, sizes.small)
    footer_h = footer.line_height + sizes.gap
    usable = page_h - 2 * margin - footer_h
    qr = [
        QrPart(
            make_qr(
                t, max_width_dots=_mm(PDF_QR_MAX_MM), dots_per_module=PDF_DOTS_PER_MODULE
            ).image,
            i,
            len(parts),
        )
        for i, t in enumerate(parts, start=1)
    ]
    build = build_card_sheet if filing.kind.is_card_procedure else build_sheet
    content = build(filing, qr, sizes)
    pages: list[list[tuple[int, Block]]] = [[]]
    y = 0
    for block in content.blocks:
        if isinstance(block, PageBreak):
            pages.append([])
            y = 0
            continue
        h = block.height(width)
        if y + h > usable and pages[-1]:
            pages.append([])
            y = 0
        pages[-1].append((y, block))
        y += h
    images: list[Image.Image] = []
    for number, placed in enumerate(pages, start=1):
        canvas = Image.new("L", (page_w, page_h), WHITE)
        for top, block in placed:
            block.draw(canvas, margin, margin + top, width)
        note = text_block(
            f"{receipt_number(filing.id)}   {filing.id}   {number}/{len(pages)}",
            footer,
            MissingLog(),
            center=True,
        )
        note.draw(canvas, margin, page_h - margin - footer.line_height, width)
        images.append(to_one_bit(canvas))
    buffer = io.BytesIO()
    images[0].save(
        buffer, "PDF", save_all=True, append_images=images[1:], resolution=float(PDF_DPI)
    )
    return RenderedPdf(buffer.getvalue(), tuple(images), tuple(content.missing.items))
