"""QR code images we render ourselves, and reading them back (both with zxing-cpp).

Payload parts are QR-alphanumeric text (base45 + a part header), so each code is encoded in
alphanumeric mode, ECC M, regular QR (never Micro QR), with a 4-module quiet zone and a whole
number of printer dots per module (≥ 3: see reference/test-stack.md §5 for why). Capacities come
from segno's symbol tables.

segno and zxing-cpp are imported where they are used: the kiosk app shows a code on its done
screen without loading segno (whose writers pull in urllib, http and email) or the decoder.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from PIL import Image

from kiosk.forms.errors import FormsError

ECC = "m"
QUIET_ZONE_MODULES = 4
MIN_DOTS_PER_MODULE = 3
DEFAULT_DOTS_PER_MODULE = 4
MAX_VERSION = 40
_ALNUM_MODE_BITS = 4
_ALNUM_BITS_PER_PAIR = 11
_ALNUM_BITS_SINGLE = 6


class QrTooLargeError(FormsError):
    """A QR part does not fit the paper width at the minimum module size."""

    code = "qr_too_large"

    def __init__(self, chars: int, width_dots: int) -> None:
        super().__init__(f"{chars} characters do not fit one QR code {width_dots} dots wide")
        self.chars = chars
        self.width_dots = width_dots


def _count_bits(version: int) -> int:
    return 9 if version <= 9 else 11 if version <= 26 else 13


@functools.cache
def alnum_capacity(version: int) -> int:
    """Alphanumeric characters a regular QR of this version holds at ECC M."""
    import segno.consts

    per_level: Any = segno.consts.SYMBOL_CAPACITY[version]
    bits = int(per_level[segno.consts.ERROR_LEVEL_M])
    free = bits - _ALNUM_MODE_BITS - _count_bits(version)
    pairs, rest = divmod(free, _ALNUM_BITS_PER_PAIR)
    return pairs * 2 + (1 if rest >= _ALNUM_BITS_SINGLE else 0)


def modules_for(version: int) -> int:
    """Symbol width in modules including the quiet zone."""
    return 17 + 4 * version + 2 * QUIET_ZONE_MODULES


def max_version_for(width_dots: int, dots_per_module: int) -> int:
    """The largest version whose symbol (with quiet zone) fits ``width_dots``."""
    version = 0
    for v in range(1, MAX_VERSION + 1):
        if modules_for(v) * dots_per_module <= width_dots:
            version = v
    return version


def max_chars_for(width_dots: int, dots_per_module: int = DEFAULT_DOTS_PER_MODULE) -> int:
    """How many alphanumeric characters one code may hold at this width and module size."""
    version = max_version_for(width_dots, dots_per_module)
    return alnum_capacity(version) if version else 0


@dataclass(frozen=True, slots=True)
class QrImage:
    """One rendered code: the image and what it holds."""

    image: Image.Image
    text: str
    version: int
    dots_per_module: int


def make_qr(
    text: str, *, max_width_dots: int, dots_per_module: int = DEFAULT_DOTS_PER_MODULE
) -> QrImage:
    """Render one code at ECC M, shrinking modules (not below 3 dots) until it fits.

    The symbol comes from zxing-cpp's encoder (C++): it picks the smallest version, the
    alphanumeric mode for our part texts and the data mask by the ISO 18004 penalty rules in
    ~1 ms; segno does the same in pure Python in ~20-70 ms, most of the receipt's time budget.
    """
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ECC.upper())
    pixels: Any = barcode.to_image(scale=1, add_quiet_zones=False)  # buffer protocol, 1 byte/module
    matrix = memoryview(pixels)
    size = int(matrix.shape[0]) if matrix.shape else 0
    symbol = Image.frombytes("L", (size, size), matrix.tobytes())
    version = (size - 17) // 4
    width_modules = size + 2 * QUIET_ZONE_MODULES
    dpm = dots_per_module
    while dpm > MIN_DOTS_PER_MODULE and width_modules * dpm > max_width_dots:
        dpm -= 1
    if width_modules * dpm > max_width_dots:
        raise QrTooLargeError(len(text), max_width_dots)
    framed = Image.new("L", (width_modules, width_modules), 255)
    framed.paste(symbol, (QUIET_ZONE_MODULES, QUIET_ZONE_MODULES))
    image = framed.resize((width_modules * dpm, width_modules * dpm), Image.Resampling.NEAREST)
    return QrImage(image=image.convert("1"), text=text, version=version, dots_per_module=dpm)


def read_qr_texts(images: Iterable[Image.Image]) -> list[str]:
    """Every QR code's text found in the images, in reading order per image."""
    import zxingcpp

    found: list[str] = []
    for image in images:
        gray = image.convert("L")
        for result in zxingcpp.read_barcodes(
            gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        ):
            found.append(str(result.text))
    return found
