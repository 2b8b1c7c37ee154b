"""Fonts from Debian packages, glyph coverage incl. IVS, and visible marking of missing glyphs."""

from __future__ import annotations

import dataclasses

import pytest
from PIL import Image, ImageChops, ImageDraw

from kiosk.forms import fonts
from kiosk.forms.fonts import (
    MISSING_MARK,
    FontMissingError,
    FontRole,
    MissingKind,
    coverage,
    font_path,
    load_font,
    prepare,
)
from kiosk.forms.render.labels import _TABLES

KATSU_IVS_2 = "葛\U000e0102"  # 葛 + VS19: a registered Hanyo-Denshi/MJ variant in IPAmj
KATSU_IVS_3 = "葛\U000e0103"


def _ink(text: str, role: FontRole = FontRole.NAME) -> Image.Image:
    img = Image.new("L", (160, 60), 255)
    font = load_font(role, 48, shaped=True)
    ImageDraw.Draw(img).text((4, 4), text, font=font, fill=0)
    return img


def test_fonts_come_from_debian_packages() -> None:
    for role in FontRole:
        path, _ = font_path(role)
        assert str(path).startswith("/usr/share/fonts/")
    assert font_path(FontRole.NAME)[0].name == "ipamjm.ttf"


def test_missing_font_names_the_package_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = dataclasses.replace(fonts.FONT_FILES[FontRole.NAME], candidates=("/nonexistent/x.ttf",))
    monkeypatch.setitem(fonts.FONT_FILES, FontRole.NAME, spec)
    with pytest.raises(FontMissingError) as info:
        font_path(FontRole.NAME)
    assert info.value.package == "fonts-ipamj-mincho" and info.value.code == "font_missing"


def test_ipamj_covers_the_names_of_the_examples() -> None:
    cov = coverage(FontRole.NAME)
    for ch in "𠮷髙﨑齋邊渡辺":
        assert cov.has(ch), ch
    assert cov.has_sequence("葛", "\U000e0102")


def test_supported_ivs_is_kept_and_draws_a_different_glyph() -> None:
    prepared = prepare(f"{KATSU_IVS_2}飾", FontRole.NAME)
    assert prepared.missing == ()
    assert prepared.text == f"{KATSU_IVS_2}飾"
    base, v2, v3 = _ink("葛"), _ink(KATSU_IVS_2), _ink(KATSU_IVS_3)
    assert ImageChops.difference(base, v2).getbbox() is not None
    assert ImageChops.difference(v2, v3).getbbox() is not None
    # and the selector is not drawn as an extra box: same advance as the base character
    font = load_font(FontRole.NAME, 48, shaped=True)
    assert font.getlength(KATSU_IVS_2) == font.getlength("葛")


def test_unregistered_variation_sequence_is_dropped_and_reported() -> None:
    prepared = prepare("髙\U000e01ef橋", FontRole.NAME)
    assert prepared.text == "髙橋"
    assert [(m.sequence, m.kind) for m in prepared.missing] == [
        ("髙\U000e01ef", MissingKind.NO_VARIANT)
    ]
    assert prepared.missing[0].codepoints == "U+9AD9 U+E01EF"


def test_character_without_glyph_becomes_geta_mark_and_is_reported() -> None:
    prepared = prepare("山田 ฟ子", FontRole.NAME)
    assert prepared.text == f"山田 {MISSING_MARK}子"
    assert prepared.missing[0].codepoints == "U+0E1F"
    assert prepared.missing[0].kind is MissingKind.NO_GLYPH
    # the mark really prints ink (it is not itself a missing glyph)
    assert _ink(MISSING_MARK).getbbox() is not None


def test_selector_in_label_text_is_reported_not_drawn_as_a_box() -> None:
    prepared = prepare(KATSU_IVS_2, FontRole.TEXT)
    assert prepared.text == "葛"
    assert prepared.missing[0].kind is MissingKind.NO_VARIANT


def test_every_label_of_every_language_is_covered_by_noto() -> None:
    for lang, table in _TABLES.items():
        for key, text in table.items():
            for role in (FontRole.TEXT, FontRole.BOLD):
                assert prepare(text, role).missing == (), (lang, key, text)


def test_devanagari_labels_use_the_fallback_font_and_are_marked_when_it_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nepali = "नयाँ ठेगाना"
    assert prepare(nepali, FontRole.TEXT).missing == ()
    assert fonts.role_for("न", FontRole.TEXT) is FontRole.DEVANAGARI
    assert fonts.role_for("住", FontRole.TEXT) is FontRole.TEXT
    spec = dataclasses.replace(fonts.FONT_FILES[FontRole.DEVANAGARI], candidates=("/nonexistent",))
    monkeypatch.setitem(fonts.FONT_FILES, FontRole.DEVANAGARI, spec)
    fonts.coverage.cache_clear()
    fonts.role_for.cache_clear()
    try:
        prepared = prepare(nepali, FontRole.TEXT)  # no crash: each letter is a 〓 for the clerk
        assert MISSING_MARK in prepared.text
        assert {m.kind for m in prepared.missing} == {MissingKind.NO_GLYPH}
    finally:
        monkeypatch.undo()
        fonts.coverage.cache_clear()
        fonts.role_for.cache_clear()
