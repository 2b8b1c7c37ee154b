"""QR images: alphanumeric mode, ECC M, regular QR, quiet zone, module size, round trip."""

from __future__ import annotations

import pytest
import segno
import zxingcpp

from kiosk.forms.render.qr import (
    MIN_DOTS_PER_MODULE,
    QUIET_ZONE_MODULES,
    QrTooLargeError,
    alnum_capacity,
    make_qr,
    max_chars_for,
    read_qr_texts,
)

PART = "JK1:0A1B2C3D:1/1:" + "ABC123$%*+-./: " * 40 + ":0F0F0F0F"


@pytest.mark.parametrize("version", [1, 10, 19, 27, 29, 40])
def test_capacity_table_matches_segno(version: int) -> None:
    cap = alnum_capacity(version)
    ok = segno.make("A" * cap, mode="alphanumeric", error="m", boost_error=False, version=version)
    assert ok.version == version
    with pytest.raises(segno.DataOverflowError):
        segno.make(
            "A" * (cap + 1), mode="alphanumeric", error="m", boost_error=False, version=version
        )


def test_receipt_widths_give_these_part_sizes_at_4_dots() -> None:
    assert max_chars_for(560, 4) == alnum_capacity(28)  # 576 minus margins → v28
    assert max_chars_for(496, 4) == alnum_capacity(24)  # TM-T88: 512 minus margins


def test_code_is_regular_alphanumeric_with_white_quiet_zone_and_whole_modules() -> None:
    qr = make_qr(PART, max_width_dots=560)
    symbol = segno.make(PART, mode="alphanumeric", error="m", boost_error=False, micro=False)
    assert symbol.mode == "alphanumeric" and not symbol.is_micro and symbol.error == "M"
    # same version as segno's pure alphanumeric encoding: byte mode would need a larger one
    assert qr.version == symbol.version and qr.dots_per_module == 4
    (result,) = zxingcpp.read_barcodes(qr.image.convert("L"))
    assert result.format == zxingcpp.BarcodeFormat.QRCode and result.ec_level == "M"
    modules = 17 + 4 * qr.version + 2 * QUIET_ZONE_MODULES
    assert qr.image.size == (modules * 4, modules * 4) and qr.image.mode == "1"
    zone = QUIET_ZONE_MODULES * 4
    assert qr.image.crop((0, 0, qr.image.width, zone)).getextrema() == (255, 255)
    assert qr.image.crop((0, 0, zone, qr.image.height)).getextrema() == (255, 255)
    # first dark module (finder pattern corner) is exactly 4×4 dots
    assert qr.image.getpixel((zone, zone)) == 0 and qr.image.getpixel((zone - 1, zone)) == 255


def test_module_size_shrinks_to_fit_but_never_below_three_dots() -> None:
    big = "A" * 2000
    qr = make_qr(big, max_width_dots=560)
    assert qr.dots_per_module == MIN_DOTS_PER_MODULE
    with pytest.raises(QrTooLargeError) as info:
        make_qr("A" * 3300, max_width_dots=400)
    assert info.value.code == "qr_too_large"


def test_round_trip_through_zxing() -> None:
    assert read_qr_texts([make_qr(PART, max_width_dots=560).image]) == [PART]
