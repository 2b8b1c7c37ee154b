"""やさしい日本語 with furigana: real KLabel/DataLabel widgets (offscreen window), their pixels.

The labels are styled by the app's own ``widgets.kv`` under a minimal running app that has the
properties its rules read; the texts come from the shipped ja_easy catalog through the same
``widget_text`` markup the screens use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from kivy.app import App
from kivy.lang import Builder
from kivy.properties import ListProperty, NumericProperty, StringProperty

from kiosk.app import FONT_CJK, SCREENS_DIR, THEMES, register_fonts
from kiosk.i18n.catalog import translations
from kiosk.i18n.ruby import plain_text, to_marked
from kiosk.screens.markup import widget_text
from kiosk.screens.ruby_label import RubyCoreLabel

pytestmark = pytest.mark.ui

EASY = translations("ja_easy")
TEXT_PX = 26


class _StyleApp(App):  # type: ignore[misc]
    """What widgets.kv reads from ``app``."""

    font_ui = StringProperty(FONT_CJK)
    font_data = StringProperty(FONT_CJK)
    text_px = NumericProperty(TEXT_PX)
    title_px = NumericProperty(36)
    touch_px = NumericProperty(72)


for _name, _rgba in THEMES["normal"].items():
    setattr(_StyleApp, _name, ListProperty(list(_rgba)))


@pytest.fixture(scope="module")
def style() -> Iterator[_StyleApp]:
    register_fonts()
    app = _StyleApp()
    previous = App._running_app
    App._running_app = app
    kv = str(SCREENS_DIR / "widgets.kv")
    Builder.load_file(kv)
    yield app
    Builder.unload_file(kv)
    App._running_app = previous


def _label(text: str, width: float = 900, *, data: bool = False, **props: Any) -> Any:
    from kiosk.screens.widgets import DataLabel, KLabel

    cls = DataLabel if data else KLabel
    label = cls(text=widget_text(text, devanagari=False, other_font=FONT_CJK), **props)
    label.width = width
    label.texture_update()
    return label


def _alpha_rows(label: Any) -> list[list[int]]:
    """The texture's alpha channel, row 0 at the top."""
    width, height = label.texture.size
    pixels = bytes(label.texture.pixels)
    assert len(pixels) == width * height * 4
    return [list(pixels[y * width * 4 + 3 : (y + 1) * width * 4 : 4]) for y in range(height)]


def _bands(rows: list[list[int]]) -> list[tuple[int, int]]:
    """Runs of rows holding ink (top, bottom-exclusive)."""
    bands: list[tuple[int, int]] = []
    start = None
    for y, row in enumerate(rows + [[]]):
        inked = any(a > 64 for a in row)
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            bands.append((start, y))
            start = None
    return bands


def _columns(rows: list[list[int]], top: int, bottom: int) -> list[int]:
    return [x for x in range(len(rows[0])) if any(rows[y][x] > 64 for y in range(top, bottom))]


def test_easy_japanese_label_draws_ruby_and_is_taller(style: _StyleApp) -> None:
    shown = EASY.gettext("Choose your address")
    ruby = _label(shown)
    plain = _label(plain_text(shown))
    assert type(ruby._label) is RubyCoreLabel
    assert type(plain._label) is not RubyCoreLabel  # no ruby: Kivy's own SDL2 label
    assert ruby.texture_size[0] == plain.texture_size[0] == 900
    assert ruby.texture_size[1] > plain.texture_size[1] * 1.1
    # the layout makes room for it: the kv height binding sees the real texture height
    assert ruby.height >= ruby.texture_size[1]


def test_ruby_row_has_ink_above_the_kanji_only(style: _StyleApp) -> None:
    label = _label(to_marked("《住所｜じゅうしょ》を えらぶ"))
    rows = _alpha_rows(label)
    bands = _bands(rows)
    assert len(bands) == 2, bands  # the ruby row, then the base row, with a gap between
    (ruby_top, ruby_bottom), (base_top, base_bottom) = bands
    assert ruby_bottom < base_top
    assert (ruby_bottom - ruby_top) < 0.75 * (base_bottom - base_top)  # about half size
    ruby_cols, base_cols = _columns(rows, *bands[0]), _columns(rows, *bands[1])
    two_kanji = 2 * TEXT_PX
    # ruby lies over 住所 (the first two em), nothing above を えらぶ
    assert min(ruby_cols) < two_kanji / 2 and max(ruby_cols) <= two_kanji + TEXT_PX / 2
    assert max(base_cols) > 4 * TEXT_PX


def test_label_colour_and_centring_are_honoured(style: _StyleApp) -> None:
    label = _label(to_marked("《印刷｜いんさつ》"), 600, halign="center", color=(1, 0, 0, 1))
    width, height = label.texture.size
    pixels = bytes(label.texture.pixels)
    inked = [i for i in range(0, len(pixels), 4) if pixels[i + 3] > 200]
    assert inked and all(pixels[i : i + 3] == b"\xff\x00\x00" for i in inked)
    xs = [(i // 4) % width for i in inked]
    assert abs((min(xs) + max(xs)) / 2 - width / 2) < 4


def test_narrow_width_wraps_into_more_lines_without_splitting_groups(style: _StyleApp) -> None:
    shown = EASY.gettext("Does anyone moving have a registered seal (印鑑登録)?")
    wide, narrow = _label(shown, 1200), _label(shown, 200)
    assert narrow.texture_size[1] > 2 * wide.texture_size[1]
    assert narrow.texture_size[0] <= 200
    layout = narrow._label._ruby_lines
    # each drawn line: a ruby row (when it holds a group) and a base row
    rows_expected = sum(2 if any(a.reading for a in line) else 1 for line in layout)
    assert len(layout) >= 4 and len(_bands(_alpha_rows(narrow))) == rows_expected
    lines = ["".join(a.text for a in line) for line in layout]
    assert any("印鑑登録" in line for line in lines)  # the group stayed whole on one line
    assert "".join(lines).replace(" ", "") == plain_text(shown).replace(" ", "")


def test_group_wider_than_the_label_reports_its_real_width(style: _StyleApp) -> None:
    label = _label(to_marked("《後期高齢者医療｜こうきこうれいしゃいりょう》"), 80)
    assert label.texture_size[0] >= 7 * TEXT_PX  # not split: the overflow check can see it


def test_personal_data_with_the_delimiters_is_shown_literally(style: _StyleApp) -> None:
    name = "《山田｜やまだ》 太郎"
    data = _label(name, data=True)
    assert type(data._label) is not RubyCoreLabel
    one_line = _label("山田 太郎", data=True)
    assert data.texture_size[1] == one_line.texture_size[1]  # no ruby row
    # even the markers a catalog would use are not ruby in a DataLabel
    marked = _label(to_marked(name.replace(" 太郎", "")), data=True)
    assert type(marked._label) is not RubyCoreLabel


def test_switching_language_returns_to_the_sdl_label(style: _StyleApp) -> None:
    label = _label(EASY.gettext("Next"))
    assert type(label._label) is RubyCoreLabel
    label.text = widget_text("Next", devanagari=False, other_font=FONT_CJK)
    label.texture_update()
    assert type(label._label) is not RubyCoreLabel
    assert label.texture_size[1] < TEXT_PX * 1.6
