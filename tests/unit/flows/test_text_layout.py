"""The keyboard's opening layout: the script that fits the field and the visit language."""

from __future__ import annotations

import pytest

from kiosk.flows.steps import TextPurpose
from kiosk.flows.text_entry import Layout, foreign_visit, initial_layout, is_latin_name
from kiosk.i18n.languages import LANGUAGES

OTHER_LANGUAGES = [lang.code for lang in LANGUAGES if lang.code not in ("ja", "ja_easy")]
NAMES = [
    TextPurpose.MEMBER_NAME,
    TextPurpose.EXISTING_HEAD,
    TextPurpose.FILER_NAME,
    TextPurpose.REMAINING_HEAD,
    TextPurpose.PREVIOUS_HEAD,
]


@pytest.mark.parametrize("purpose", NAMES)
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_names_open_in_the_alphabet_outside_japanese(purpose: TextPurpose, language: str) -> None:
    assert initial_layout(purpose, language) is Layout.ALPHA


@pytest.mark.parametrize("purpose", NAMES)
@pytest.mark.parametrize("language", ["ja", "ja_easy"])
def test_names_in_japanese_open_in_kana_unless_foreign(purpose: TextPurpose, language: str) -> None:
    assert initial_layout(purpose, language) is Layout.KANA
    assert initial_layout(purpose, language, foreign=True) is Layout.ALPHA


@pytest.mark.parametrize("language", [lang.code for lang in LANGUAGES])
@pytest.mark.parametrize("foreign", [False, True])
def test_readings_kana_numbers_digits_card_number_alphabet(language: str, foreign: bool) -> None:
    for purpose in (TextPurpose.MEMBER_FURIGANA, TextPurpose.FILER_FURIGANA):
        assert initial_layout(purpose, language, foreign=foreign) is Layout.KANA
    for purpose in (TextPurpose.FILER_PHONE, TextPurpose.STAFF_PIN):
        assert initial_layout(purpose, language, foreign=foreign) is Layout.DIGITS
    assert initial_layout(TextPurpose.RESIDENCE_CARD, language) is Layout.ALPHA
    assert initial_layout(TextPurpose.KATAGAKI, language, foreign=foreign) is Layout.KANA


def test_card_words_follow_the_language() -> None:
    assert initial_layout(TextPurpose.NATIONALITY, "ja") is Layout.KANA
    assert initial_layout(TextPurpose.NATIONALITY, "vi") is Layout.ALPHA
    assert initial_layout(TextPurpose.RESIDENCE_STATUS, "en") is Layout.ALPHA


def test_every_purpose_has_a_layout() -> None:
    for purpose in TextPurpose:
        for lang in LANGUAGES:
            assert initial_layout(purpose, lang.code) in Layout


@pytest.mark.parametrize(
    ("name", "latin"),
    [("NGUYEN VAN AN", True), ("Nguyễn Thị Lan", True), ("山田 太郎", False),
     ("ヤマダ タロウ", False), ("", False), ("SMITH 太郎", False)],
)  # fmt: skip
def test_latin_names(name: str, latin: bool) -> None:
    assert is_latin_name(name) is latin


def test_foreign_visit_cues() -> None:
    assert foreign_visit(["NGUYEN VAN AN"], [None])
    assert foreign_visit(["山田 太郎"], [True, False])
    assert not foreign_visit(["山田 太郎"], [None, True])
