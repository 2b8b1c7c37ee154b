"""The 80 mm receipt: one 1-bit image exactly as wide as the printer profile, then ESC/POS bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from kiosk.forms.fonts import MissingChar
from kiosk.forms.model import Filing
from kiosk.forms.render.copy import build_copy
from kiosk.forms.render.form import RECEIPT_SIZES, QrPart
from kiosk.forms.render.layout import WHITE, draw_stack, stack_height, to_one_bit
from kiosk.forms.render.qr import DEFAULT_DOTS_PER_MODULE, make_qr, max_chars_for
from kiosk.hardware.printer.escpos_adapter import encode_image_job
from kiosk.hardware.printer.profiles import DEFAULT_PROFILE, PrinterProfile

#: blank dots left and right of the content (the QR quiet zone is inside the code image)
SIDE_MARGIN_DOTS = 8
TOP_MARGIN_DOTS = 8


@dataclass(frozen=True, slots=True)
class ReceiptImage:
    """The rendered receipt and what the clerk must know about it."""

    image: Image.Image  # mode "1", width == profile.width_dots
    missing: tuple[MissingChar, ...]
    qr_versions: tuple[int, ...]
    profile: PrinterProfile


def content_width(profile: PrinterProfile) -> int:
    """Dots available between the side margins."""
    return profile.width_dots - 2 * SIDE_MARGIN_DOTS


def max_part_chars(profile: PrinterProfile) -> int:
    """The largest QR text part that prints at ≥ 4 dots/module on this profile."""
    return max_chars_for(content_width(profile), DEFAULT_DOTS_PER_MODULE)


def qr_parts_for(parts: Sequence[str], max_width: int, dots_per_module: int) -> list[QrPart]:
    """Render each payload text part as its own code, numbered 1/n ... n/n."""
    total = len(parts)
    return [
        QrPart(
            make_qr(text, max_width_dots=max_width, dots_per_module=dots_per_module).image, i, total
        )
        for i, text in enumerate(parts, start=1)
    ]


def render_receipt(
    filing: Filing, parts: Sequence[str], profile: PrinterProfile = DEFAULT_PROFILE
) -> ReceiptImage:
    """Draw the whole receipt at the profile's dot width."""
    width = content_width(profile)
    codes = [make_qr(t, max_width_dots=width) for t in parts]
    qr = [QrPart(c.image, i, len(codes)) for i, c in enumerate(codes, start=1)]
    content = build_copy(filing, qr, RECEIPT_SIZES)
    height = stack_height(content.blocks, width) + 2 * TOP_MARGIN_DOTS
    canvas = Image.new("L", (profile.width_dots, height), WHITE)
    draw_stack(canvas, content.blocks, SIDE_MARGIN_DOTS, TOP_MARGIN_DOTS, width)
    return ReceiptImage(
        image=to_one_bit(canvas),
        missing=tuple(content.missing.items),
        qr_versions=tuple(c.version for c in codes),
        profile=profile,
    )


def receipt_escpos(receipt: ReceiptImage) -> bytes:
    """The exact bytes the printer receives for this receipt (init, raster bands, cut)."""
    return encode_image_job(receipt.image, receipt.profile)
