"""やさしい日本語: the catalog's ruby markup read against the guidelines (kiosk.i18n.easy)."""

from __future__ import annotations

import pytest

from kiosk.i18n.checks import source_texts
from kiosk.i18n.easy import (
    MAX_SENTENCE,
    check_easy_japanese,
    check_pin_word,
    check_readings,
    check_sentences,
)


def test_the_shipped_easy_japanese_catalog_passes_every_check() -> None:
    problems = check_easy_japanese(source_texts("ja_easy"))
    assert problems == [], "\n".join(map(str, problems))


def test_a_bare_number_where_the_pin_is_meant_is_reported() -> None:
    found = check_pin_word("The PIN was wrong.", "《番号｜ばんごう》が ちがいます。")
    assert {p.detail for p in found} == {
        "say 《暗証番号｜あんしょうばんごう》",
        "bare 番号 where 暗証番号 is meant",
    }
    assert (
        check_pin_word("The PIN was wrong.", "《暗証番号｜あんしょうばんごう》が ちがいます。")
        == []
    )
    # 電話番号 is a different word; strings not about the PIN are not held to it
    assert check_pin_word("Phone", "《電話番号｜でんわばんごう》") == []


@pytest.mark.parametrize(
    ("msgid", "text", "wanted"),
    [
        ("x", "1《人｜にん》 だけです。", "write 《1人｜ひとり》"),
        ("x", "《1人｜いちにん》 だけです。", "《1人｜ひとり》, not いちにん"),
        ("x", "14《日｜にち》 すぎました。", "write 《14日｜じゅうよっか》"),
        ("x", "3《年｜とし》", "年 after a number is ねん"),
        ("x", "{n}《月｜つき》", "月 after a number is がつ"),
        ("Year", "《年｜とし》", "the date part 年 reads ねん"),
        ("Day", "《日｜ひ》", "the date part 日 reads にち"),
    ],
)
def test_wrong_readings_of_counters_and_dates_are_reported(
    msgid: str, text: str, wanted: str
) -> None:
    assert [p.detail for p in check_readings(msgid, text)] == [wanted]


def test_right_readings_pass() -> None:
    for text in (
        "《1人｜ひとり》",
        "{days}《日｜にち》",
        "3《人｜にん》",
        "《生｜う》まれた 《日｜ひ》",
    ):
        assert check_readings("x", text) == [], text


def test_long_sentences_and_missing_word_spacing_are_reported() -> None:
    long = "あ" * (MAX_SENTENCE + 1) + "。"
    assert [p.rule for p in check_sentences("x", long)] == ["long sentence", "分かち書き"]
    assert [
        p.rule for p in check_sentences("x", "《住所｜じゅうしょ》を《選｜えら》んで ください。")
    ] == ["分かち書き"]
    assert check_sentences("x", "《住所｜じゅうしょ》を 《選｜えら》んで ください。") == []
