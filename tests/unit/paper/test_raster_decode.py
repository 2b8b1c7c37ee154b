"""The built-in ESC/POS decoder against python-escpos's own encodings of known images."""

from __future__ import annotations

import random

import pytest
from escpos.printer import Dummy  # noqa: TID251 - the test cross-checks the adapter's library
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from kiosk.hardware.printer.errors import PrinterConfigError
from kiosk.hardware.printer.escpos_adapter import encode_image_job
from kiosk.hardware.printer.profiles import TM_T20II, TM_T88V
from kiosk.hardware.printer.raster_decode import EscposDecodeError, decode_job


def _noise(width: int, height: int, seed: int) -> Image.Image:
    rng = random.Random(seed)
    img = Image.new("1", (width, height), 255)
    img.putdata([rng.choice((0, 255)) for _ in range(width * height)])
    return img


def _same(a: Image.Image, b: Image.Image) -> bool:
    return (
        a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None
    )


@pytest.mark.parametrize("profile", [TM_T20II, TM_T88V])
def test_encoded_job_decodes_to_the_identical_image_and_cuts(profile: object) -> None:
    img = _noise(profile.width_dots, 1100, seed=1)  # type: ignore[attr-defined]
    job = encode_image_job(img, profile)  # type: ignore[arg-type]
    decoded = decode_job(job, profile.width_dots)  # type: ignore[attr-defined]
    assert decoded.initialised and decoded.cuts == ["full"]
    assert decoded.raster_blocks == 3  # 1100 rows in bands of 480
    body = decoded.image.crop((0, 0, img.width, img.height))
    assert _same(body, img)
    assert decoded.image.height > img.height  # the feed before the cut
    assert job.startswith(b"\x1b@") and job.endswith(b"\x1dV\x00")


def test_job_wider_than_the_profile_is_refused() -> None:
    with pytest.raises(PrinterConfigError):
        encode_image_job(Image.new("1", (576, 10), 1), TM_T88V)


def test_graphics_command_gs_paren_l_decodes() -> None:
    img = _noise(200, 64, seed=2)
    printer = Dummy(profile="TM-T20II")
    printer.image(img, impl="graphics")
    decoded = decode_job(printer.output, 576)
    assert _same(decoded.image.crop((0, 0, 200, 64)), img)


@pytest.mark.parametrize(
    ("data", "offset"),
    [(b"\x1b@hello", 2), (b"\x1b\x74\x01", 0), (b"\x1dv0\x00\x02\x00\x05\x00\xff", 0)],
)
def test_unknown_or_truncated_commands_are_refused_with_offset(data: bytes, offset: int) -> None:
    with pytest.raises(EscposDecodeError) as info:
        decode_job(data, 576)
    assert info.value.offset in (offset, 8)


@settings(max_examples=25, deadline=None)
@given(
    width_bytes=st.integers(min_value=1, max_value=72),
    height=st.integers(min_value=1, max_value=1000),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_any_image_survives_encode_and_decode(width_bytes: int, height: int, seed: int) -> None:
    img = _noise(width_bytes * 8, height, seed)
    canvas = Image.new("1", (576, height), 255)
    canvas.paste(img, (0, 0))
    decoded = decode_job(encode_image_job(canvas, TM_T20II), 576)
    assert _same(decoded.image.crop((0, 0, 576, height)), canvas)
