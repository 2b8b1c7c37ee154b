"""Text wrapping, bilingual labels and 和暦 dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.forms.fonts import FontRole
from kiosk.forms.model import Answer, CardTask, FilingKind, RelatedProcedure, Sex, Standing
from kiosk.forms.render import dates, labels
from kiosk.forms.render.labels import Label, Labels, register_language, resolve_language
from kiosk.forms.render.layout import MissingLog, Style, font_runs, text_block, text_width, wrap

BODY = Style(FontRole.TEXT, 24)
NAME = Style(FontRole.NAME, 34)


def test_wrap_breaks_long_japanese_addresses_within_the_width() -> None:
    text = "東京都新宿区新宿三丁目5番2号　新宿ハイツ302号室"
    narrow = wrap(text, NAME, 300)
    assert len(narrow) > 2
    assert "".join(narrow).replace("\u3000", "") == text.replace("\u3000", "")
    assert all(text_width(line, NAME) <= 300 for line in narrow)
    # on the receipt the 方書 moves to its own line at the full-width space
    receipt = wrap(text, Style(FontRole.NAME, 28), 544)
    assert receipt == ("東京都新宿区新宿三丁目5番2号", "新宿ハイツ302号室")


def test_wrap_keeps_latin_words_whole() -> None:
    lines = wrap("Notification of Change of Residence", BODY, 200)
    assert all(not line.startswith(" ") for line in lines)
    assert " ".join(lines).split() == ["Notification", "of", "Change", "of", "Residence"]


def test_wrap_does_not_start_a_line_with_closing_punctuation() -> None:
    lines = wrap(
        "あいうえおかきくけこ。さしすせそ", BODY, int(text_width("あいうえおかきくけこ", BODY))
    )
    assert all(not line.startswith("。") for line in lines)


def test_wrap_keeps_a_variation_selector_with_its_base() -> None:
    lines = wrap("葛\U000e0102" * 12, NAME, 100)
    assert all(not line.startswith("\U000e0102") for line in lines)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="あ漢字カナ ABCdef123、。（）髙𠮷", min_size=0, max_size=80))
def test_wrap_never_loses_characters_and_every_line_fits(text: str) -> None:
    lines = wrap(text, BODY, 160)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert text_width(line, BODY) <= 160


def test_labels_are_japanese_only_for_japanese_visits() -> None:
    assert Labels("ja").both(Label.NEW_ADDRESS) == "新住所"
    assert Labels("ja-JP").other(Label.NEW_ADDRESS) == ""


def test_labels_show_the_visit_language_beside_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Labels("en-US").both(Label.NEW_ADDRESS) == "新住所 / New address"
    assert Labels("ko").both(Label.HEAD) == "世帯主 / 세대주"
    assert Labels("zh-CN").other(Sex.FEMALE) == "女"
    # keys a language lacks fall back to English
    monkeypatch.setitem(labels._TABLES, "xp", {})  # removed again after the test
    register_language("xp", {Label.HEAD: "partial"})
    assert Labels("xp").other(Label.FURIGANA) == "Reading"


#: the kiosk's UI languages as filed (kiosk.i18n.languages tags)
KIOSK_LANGUAGE_TAGS = ("ja-x-easy", "en", "zh-Hans", "ko", "vi", "ne", "fil")


@pytest.mark.parametrize("tag", KIOSK_LANGUAGE_TAGS)
def test_every_kiosk_language_has_a_complete_label_table(tag: str) -> None:
    lab = Labels(tag)
    assert lab.bilingual
    assert lab.language != "en" or tag == "en", f"{tag} falls back to English"
    own = labels._TABLES[lab.language]
    printed = [*Label, *FilingKind, *Sex, *Standing, *Answer, *RelatedProcedure, *CardTask]
    missing = [str(k) for k in printed if not own.get(labels._key(k))]
    assert missing == [], f"{tag}: no text for {missing}"
    unknown = set(own) - {labels._key(k) for k in printed}
    assert unknown == set(), f"{tag}: keys that are never printed: {unknown}"


def test_nepali_labels_print_in_devanagari_and_easy_japanese_beside_japanese() -> None:
    assert Labels("ne").both(Label.NAME) == "氏名 / नाम"
    assert Labels("ja-x-easy").both(Label.NEW_ADDRESS) == "新住所 / あたらしい じゅうしょ"
    assert Labels("fil").other(Answer.YES) == "Oo"


def test_unknown_language_falls_back_to_english_and_new_languages_can_be_added(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Labels("xx").language == "en"
    monkeypatch.setitem(labels._TABLES, "tl", {})  # removed again after the test
    register_language("tl", {Label.NAME: "Pangalan"})
    assert resolve_language("tl-PH") == "tl"
    assert Labels("tl").both(Label.NAME) == "氏名 / Pangalan"
    assert Labels("vi-VN").both(Label.NEW_ADDRESS) == "新住所 / Địa chỉ mới"


def test_every_label_has_japanese_and_english_text() -> None:
    ja, en = Labels("ja"), Labels("en")
    for key in Label:
        assert ja.ja(key) and en.other(key), key


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2026, 11, 27), "令和8年11月27日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1900, 1, 1), "明治33年1月1日"),
        (date(1850, 1, 1), "1850-01-01"),
    ],
)
def test_wareki(day: date, text: str) -> None:
    assert dates.wareki(day) == text


def test_dates_show_both_calendars() -> None:
    assert dates.both(date(1980, 4, 1)) == "昭和55年4月1日 (1980-04-01)"


def test_every_printed_model_value_has_an_english_name() -> None:
    en = Labels("en")
    for enum in (FilingKind, Standing, Sex):
        for value in enum:
            assert en.other(value), value
    # model values and label keys never collide ("head" is both a Standing and a Label)
    assert en.other(Standing.HEAD) == "Head of household" == en.other(Label.HEAD)


def test_devanagari_is_drawn_shaped_by_its_fallback_font_on_one_line() -> None:
    from PIL import Image

    line = "氏名 / नाम"
    assert [role for role, _ in font_runs(line, FontRole.TEXT)] == [
        FontRole.TEXT,
        FontRole.DEVANAGARI,
    ]
    log = MissingLog()
    block = text_block(line, BODY, log)
    assert log.items == []
    canvas = Image.new("L", (300, block.height(300)), 255)
    block.draw(canvas, 0, 0, 300)
    ink = canvas.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None and ink[2] > text_width("氏名 / ", BODY)  # the Nepali word has ink
    # a vowel sign stays with its consonant: a line never starts with a combining mark
    for wrapped in wrap("परिवारको संरचना परिवर्तन " * 3, BODY, 120):
        assert wrapped and wrapped[0] not in "ािीुूेैोौंँ्"
