"""Nepali text through the app's label path is shaped: conjuncts formed, ि left of its consonant.

The core label is rendered up to the pixels it would upload (no window needed) and compared with
Pillow + raqm drawing the same text in the same font and size; the unshaped (basic layout)
drawing must differ, so the test fails when shaping is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from kiosk.app import DEVANAGARI_FILES
from kiosk.screens.shaping import ShapedMarkupLabel, needs_shaping

FONT = DEVANAGARI_FILES[0]
SIZE = 64
#: क्षि: the conjunct क्ष followed by the pre-base vowel sign ि (drawn to its LEFT when shaped)
TEXT = "\u0915\u094d\u0937\u093f"

pytestmark = pytest.mark.skipif(
    not (Path(FONT).exists() and features.check("raqm")), reason="needs fonts-noto-core + raqm"
)


class _Capture:
    """Stands in for the GL texture: keeps the pixels the label would upload."""

    data: Any = None

    def blit_data(self, data: Any) -> None:
        self.data = data


def _label_pixels(text: str) -> Image.Image:
    label = ShapedMarkupLabel(text=text, font_name=FONT, font_size=SIZE)
    label.resolve_font_name()
    size = label.render()  # layout pass, as Label.refresh does before creating the texture
    label._size = (size[0], size[1])
    capture = _Capture()
    label.texture = capture
    label.render(real=True)
    data = capture.data
    rgba = Image.frombytes("RGBA", (data.width, data.height), data.data)
    return rgba.getchannel("A")


def _reference(text: str, engine: ImageFont.Layout) -> Image.Image:
    font = ImageFont.truetype(FONT, SIZE, layout_engine=engine)
    image = Image.new("L", (SIZE * 4, SIZE * 2), 0)
    ImageDraw.Draw(image).text((SIZE // 2, SIZE // 4), text, font=font, fill=255)
    return image


def _ink(image: Image.Image) -> Image.Image:
    box = image.point(lambda v: 255 if v > 127 else 0).getbbox()
    assert box is not None, "nothing drawn"
    return image.crop(box).point(lambda v: 255 if v > 127 else 0)


def _differs(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v else 0)
    return sum(1 for v in diff.getdata() if v) / (a.width * a.height)


def test_nepali_text_is_routed_to_the_shaping_label() -> None:
    assert needs_shaping("नेपाली")
    assert not needs_shaping("日本語 English 한국어")


def test_label_path_matches_pillow_raqm_and_not_the_unshaped_layout() -> None:
    ours = _ink(_label_pixels(TEXT))
    shaped = _ink(_reference(TEXT, ImageFont.Layout.RAQM))
    unshaped = _ink(_reference(TEXT, ImageFont.Layout.BASIC))
    assert _differs(shaped, unshaped) > 0.05  # the check can tell shaped from unshaped
    assert _differs(ours, shaped) < 0.02
    assert _differs(ours, unshaped) > 0.05


def test_vowel_sign_i_is_drawn_left_of_its_consonant() -> None:
    # ि alone sits at the left edge of "कि" when shaped: the left strip of the shaped word
    # matches the sign's own left strip, and not the consonant's
    word = _ink(_label_pixels("\u0915\u093f"))
    consonant = _ink(_label_pixels("\u0915"))
    # the shaped word is wider than the consonant and starts with the sign's vertical stem:
    # the consonant's own left edge lies to the right of the word's left edge
    assert word.width > consonant.width
    left = word.crop((0, 0, max(1, word.width // 6), word.height))
    assert left.getbbox() is not None
    unshaped = _ink(_reference("\u0915\u093f", ImageFont.Layout.BASIC))
    assert _differs(word, unshaped) > 0.05
