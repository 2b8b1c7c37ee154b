"""The pieces: 和暦, name split, free-text address split, 番地号表記."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.forms.model import Address, AddressScheme
from server_sync.intake.kihon.address import address_parts, number_notation, split_free_text
from server_sync.intake.kihon.era import era_of, wareki
from server_sync.intake.kihon.names import glyph_check, is_alphabet_name, split_name


@pytest.mark.parametrize(
    ("day", "code", "text"),
    [
        (date(1989, 1, 7), "3", "昭和64年1月7日"),
        (date(1989, 1, 8), "4", "平成元年1月8日"),
        (date(2019, 4, 30), "4", "平成31年4月30日"),
        (date(2019, 5, 1), "5", "令和元年5月1日"),
        (date(1926, 12, 25), "3", "昭和元年12月25日"),
        (date(1912, 7, 30), "2", "大正元年7月30日"),
        (date(1900, 1, 1), "1", "明治33年1月1日"),
    ],
)
def test_era(day: date, code: str, text: str) -> None:
    era = era_of(day)
    assert era is not None and era.code == code
    assert wareki(day) == text


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("山田 太郎", ("山田", "太郎")),
        ("山田\u3000太郎", ("山田", "太郎")),
        ("山田太郎", ("山田太郎", "")),
        ("髙橋 𠮷之介", ("髙橋", "𠮷之介")),
    ],
)
def test_split_name(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


def test_alphabet_and_glyphs() -> None:
    assert is_alphabet_name("NGUYEN VAN MINH") and is_alphabet_name("Lê Thị Hoa")
    assert not is_alphabet_name("王 小明")
    assert glyph_check("髙橋 𠮷之介", "𠮷") == ("髙", "𠮷")
    assert glyph_check("葛\U000e0100城") == ("\U000e0100",)  # an IVS selector needs 文字同定


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("東京都新宿区西新宿二丁目8番1号", ("東京都", "新宿区", "西新宿二丁目", "8番1号", "")),
        (
            "埼玉県さいたま市浦和区高砂三丁目15番1号",
            ("埼玉県", "さいたま市浦和区", "高砂三丁目", "15番1号", ""),
        ),
        (
            "神奈川県横浜市中区山下町1番地1\u3000山下マンション801号室",
            ("神奈川県", "横浜市中区", "山下町", "1番地1", "山下マンション801号室"),
        ),
        (
            "北海道虻田郡倶知安町北一条東1丁目",
            ("北海道", "虻田郡倶知安町", "北一条東", "1丁目", ""),
        ),
        ("千葉県市川市八幡一丁目1番1号", ("千葉県", "市川市", "八幡一丁目", "1番1号", "")),
        ("どこか", ("", "", "どこか", "", "")),
    ],
)
def test_split_free_text(text: str, parts: tuple[str, ...]) -> None:
    assert split_free_text(text) == parts


def test_number_notation_as_on_the_residence_certificate() -> None:
    residential = Address(AddressScheme.RESIDENTIAL, block="2", residence="5")
    assert number_notation(residential) == "2番5号"
    assert number_notation(Address(AddressScheme.PARCEL, chiban="12-3")) == "12番地3"
    assert address_parts(None).full == ""
    abroad = address_parts(Address(AddressScheme.FREE_TEXT, free_text="Hanoi", country="ベトナム"))
    assert (abroad.country, abroad.abroad, abroad.prefecture) == ("ベトナム", "Hanoi", "")
