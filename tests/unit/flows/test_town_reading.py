"""The address picker's readings (kana, romaji) and its search by reading."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.flows.address_picker import AddressPicker, Level
from kiosk.flows.town_search import INSIDE, NO_MATCH, PREFIX, kana_key, latin_key, matches_reading
from kiosk.forms.master import AddressMaster


@pytest.fixture
def picker(sample_master: Path) -> Iterator[AddressPicker]:
    with AddressMaster.open(sample_master) as master:
        yield AddressPicker(master)


def _names(picker: AddressPicker) -> list[str]:
    return [o.label for o in picker.options()]


def test_town_options_carry_kana_and_romaji(picker: AddressPicker) -> None:
    by_name = {o.label: o for o in picker.options()}
    assert (by_name["新宿"].hint, by_name["新宿"].roma) == ("シンジュク", "Shinjuku")
    assert by_name["高田馬場"].roma == "Takadanobaba"


def test_chome_options_carry_their_own_reading_and_romaji(picker: AddressPicker) -> None:
    picker.choose("新宿")
    third = next(o for o in picker.options() if o.key == "0020003")
    assert (third.label, third.hint, third.roma) == ("三丁目", "サンチョウメ", "3-chome")


@pytest.mark.parametrize(
    ("query", "first", "also", "never"),
    [
        ("shin", "新宿", "西新宿", "神楽坂"),  # prefix first, then "inside"
        ("SHINJUKU", "新宿", "西新宿", "大久保"),
        ("ookubo", "大久保", None, "新宿"),  # long vowel typed as oo
        ("シン", "新宿", "西新宿", "神楽坂"),
        ("しんじゅく", "新宿", "西新宿", "北町"),  # hiragana, voiced
        ("シンシユク", "新宿", None, "北町"),  # typed without voicing marks / small kana
        ("カク", "神楽坂", None, "新宿"),
        ("新", "新宿", None, "北町"),
    ],
)
def test_search_filters_as_typed(
    picker: AddressPicker, query: str, first: str, also: str | None, never: str
) -> None:
    picker.search(query)
    names = _names(picker)
    assert names[0] == first
    if also:
        assert also in names
    assert never not in names


def test_search_without_match_is_empty_and_back_clears_it(picker: AddressPicker) -> None:
    everyone = _names(picker)
    picker.search("xyz")
    assert _names(picker) == []
    assert picker.back() is True
    assert picker.level is Level.TOWN and not picker.searching and _names(picker) == everyone
    assert picker.back() is False


def test_empty_search_lists_every_town(picker: AddressPicker) -> None:
    everyone = _names(picker)
    picker.search("")
    assert picker.searching and _names(picker) == everyone


def test_match_ranks_and_keys() -> None:
    assert matches_reading("shin", "新宿", "シンジュク", "Shinjuku") == PREFIX
    assert matches_reading("shin", "西新宿", "ニシシンジュク", "Nishishinjuku") == INSIDE
    assert matches_reading("kagu", "新宿", "シンジュク", "Shinjuku") == NO_MATCH
    assert matches_reading("shin", "新宿", "シンジュク", "") == NO_MATCH  # no romaji, no match
    assert kana_key("ジュ") == kana_key("シユ") == "シユ"
    assert latin_key("Ōkubo") == latin_key("OOKUBO") == latin_key("o-kubo") == "okubo"


def test_path_in_romaji(picker: AddressPicker) -> None:
    assert picker.path_roma == ""
    picker.choose("新宿")
    assert picker.path_roma == "Shinjuku"
    picker.choose("0020003")
    assert picker.path_roma == "Shinjuku 3-chome"
    picker.back()
    picker.back()
    picker.choose("北町")  # no 丁目: straight to 地番
    assert picker.level is Level.CHIBAN and picker.path_roma == "Kitamachi"


def test_listed_buildings_are_named_under_their_residence_number(picker: AddressPicker) -> None:
    """An apartment resident recognises their building under the 号 (and turns 方書 on)."""
    picker.choose("新宿")
    picker.choose("0020003")
    picker.choose("5")
    assert picker.level is Level.RESIDENCE
    hints = {o.key: o.hint for o in picker.options()}
    assert hints["4"] == "サンパレス新宿"
    assert hints["2"] in ("新宿ハイツ…", "新宿三丁目ビル…")  # two listed: the first, and "…"
    assert hints["1"] == ""  # a house: nothing listed
