"""Address comparison keys (kiosk.forms.decisions): one translate and the ideographic space
folded before NFKC (issue 14, the intake's hot path) give the keys the first version gave."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.forms.decisions import address_key, in_ward


def _address_key_before(text: str) -> str:
    """address_key as it was written first (a replace per dash)."""
    folded = unicodedata.normalize("NFKC", text)
    for dash in "‐‑‒–—―ー−－":
        folded = folded.replace(dash, "-")
    return "".join(folded.split())


@given(st.text(alphabet="‐‑‒–—―ー−－-ｰ 　\t東京都新宿区１2ＡaＡ", max_size=20))
def test_address_key_unchanged(text: str) -> None:
    assert address_key(text) == _address_key_before(text)


@pytest.mark.parametrize(
    ("text", "prefecture", "city", "inside"),
    [
        ("東京都新宿区西新宿二丁目8番1号", "東京都", "新宿区", True),
        ("新宿区西新宿", "東京都", "新宿区", True),
        ("東京都 新宿区", "東京都", "新宿区", True),
        ("東京都渋谷区", "東京都", "新宿区", False),
        ("東京都新宿区", "東京都", "", False),
    ],
)
def test_in_ward(text: str, prefecture: str, city: str, inside: bool) -> None:
    assert in_ward(text, prefecture, city) is inside


@given(st.text(alphabet="\u3000 a\u0301\u3099\u309bｶﾞカ゛e\u00a8\u0300ー－東", max_size=12))
def test_address_key_unchanged_around_ideographic_spaces(text: str) -> None:
    assert address_key(text) == _address_key_before(text)
