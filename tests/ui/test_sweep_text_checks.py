"""The sweeps' text checks on real Kivy labels: a Latin word cut in two by a line break, and a
character its face cannot draw (a box).

Kivy allows one window per process, so the labels are laid out in a child process under SDL's
offscreen driver, with the kiosk's own fonts.
"""

from __future__ import annotations

import json

import pytest

from tests.fixtures.kivy import run_offscreen

pytestmark = [pytest.mark.ui]

CHILD = r"""
import json
from kivy.core.window import Window
from kivy.metrics import dp
from kivy.uix.label import Label


from kiosk.demo.glyphs import missing_glyphs
from kiosk.demo.observe import broken_words
from kiosk.screens.fit import columns_fitting, text_room
from kiosk.theme import FONT_CJK, FONT_DEVANAGARI, register_fonts

register_fonts()

def laid_out(text, width, markup=False):
    label = Label(text=text, font_name=FONT_CJK, font_size=26, text_size=(width, None),
                  markup=markup)
    label.texture_update()
    return broken_words(label)

def drawn(text, font, markup=False):
    label = Label(text=text, font_name=font, markup=markup)
    label.texture_update()
    return missing_glyphs(label)

names = ["Ichigayayakuojimachi", "Okubo"]
print(json.dumps({
    "narrow": laid_out("Ichigayayakuojimachi\n市谷薬王寺町", 200),
    "wide": laid_out("Ichigayayakuojimachi\n市谷薬王寺町", 400),
    "markup": laid_out("[font=KioskCJK]Wasedatsurumakicho[/font]\n[b]早稲田鶴巻町[/b]", 180, True),
    "sentence": laid_out("Please choose the town where you now live", 200),
    "cols_portrait": columns_fitting(names, 3, 800, 26),
    "cols_landscape": columns_fitting(names, 3, 1280, 26),
    "cols_short": columns_fitting(["Okubo"], 3, 800, 26),
    "room_3_of_800": text_room(800, 3),
    "deva_triangle": drawn("▼ तल अझै छ ▼", FONT_DEVANAGARI),
    "deva_wrapped": drawn("[font=KioskCJK]▼[/font] तल अझै छ [font=KioskCJK]▼[/font]",
                          FONT_DEVANAGARI, True),
    "cjk_plain": drawn("▼ 下に続きます ▼ [PIN]", FONT_CJK),
    "escaped": drawn("&bl;PIN&br; 方書", FONT_CJK, True),
    "stray_ruby": drawn("\ufff9区\ufffaく\ufffb", FONT_CJK),
}))
"""


def test_a_cut_word_and_a_box_are_found_and_a_romaji_list_gets_fewer_columns() -> None:
    found = json.loads(run_offscreen(CHILD).strip().splitlines()[-1])
    assert found["narrow"] == ["Ichigayayakuojimachi"]
    assert found["wide"] == []
    assert found["markup"] == ["Wasedatsurumakicho"]  # read from the lines Kivy laid out
    assert found["sentence"] == []  # wrapped between words: nothing cut
    # 3 columns of an upright panel leave ~220 px of text: the long name needs 2
    assert 200 < found["room_3_of_800"] < 240
    assert found["cols_portrait"] == 2 and found["cols_landscape"] == 3
    assert found["cols_short"] == 3
    # the Devanagari face has no ▼: a box, unless the run is set in the CJK face
    assert found["deva_triangle"] == ["'▼' U+25BC in KioskDevanagari"]
    assert found["deva_wrapped"] == [] and found["cjk_plain"] == [] and found["escaped"] == []
    # ruby marks outside a ruby label (which draws the reading instead) are boxes too
    assert len(found["stray_ruby"]) == 3


def test_a_data_row_sets_its_nepali_words_in_the_devanagari_face() -> None:
    from kiosk.screens.markup import data_text

    row = "दर्ता गर्ने: 田中　花子 [1]"
    marked = data_text(row, devanagari_font="KioskDevanagari")
    assert marked == "[font=KioskDevanagari]दर्ता गर्ने[/font]: 田中　花子 &bl;1&br;"
    assert data_text(row, devanagari_font=None) == "दर्ता गर्ने: 田中　花子 &bl;1&br;"
