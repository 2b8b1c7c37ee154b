"""Every catalog says the official terms as the glossary (kiosk/i18n/glossary.toml) approves."""

from __future__ import annotations

import pytest

from kiosk.i18n.checks import check_quotes, check_terms, source_texts
from kiosk.i18n.glossary import UNREVIEWED_SOURCE, GlossaryError, glossary, parse_glossary
from kiosk.i18n.languages import LANGUAGES

CODES = [lang.code for lang in LANGUAGES]


@pytest.mark.parametrize("code", CODES)
def test_catalog_uses_the_glossary_terms(code: str) -> None:
    problems = check_terms(code, source_texts(code), source_texts("ja"))
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("code", CODES)
def test_quoted_screen_texts_are_the_real_ones(code: str) -> None:
    problems = check_quotes(code, source_texts(code), source_texts("en"))
    assert problems == [], "\n".join(map(str, problems))


def test_a_term_said_differently_is_reported() -> None:
    ja = {"partner, not married (husband)": "夫（未届）", "Make head": "世帯主にする"}
    fil = {
        "partner, not married (husband)": "asawang lalaki, hindi kasal",
        "Make head": "Gawing puno",
    }
    rules = sorted(p.detail for p in check_terms("fil", fil, ja))
    assert any("kinakasamang lalaki" in r for r in rules)
    assert any("hindi kasal" in r for r in rules)
    assert any("puno ng" in r for r in rules)


def test_city_for_the_ward_is_reported() -> None:
    ja = {"Moving within this city (転居)": "{ward}内で引っ越した（転居）"}
    vi = {"Moving within this city (転居)": "Chuyển nhà trong thành phố (転居)"}
    details = [p.detail for p in check_terms("vi", vi, ja)]
    assert any("thành phố" in d for d in details)
    assert any("ward" in d for d in details)


def test_every_term_names_its_source_and_every_language_has_the_ward_words() -> None:
    terms = glossary()
    assert {"tennyu", "tenkyo", "tenshutsu", "setainushi", "tsuzukigara", "anshou_bangou"} <= {
        t.id for t in terms.terms
    }
    assert {"husband_mitodoke", "wife_mitodoke", "my_number_card", "zairyu_card"} <= {
        t.id for t in terms.terms
    }
    for term in terms.terms:
        assert term.source, term.id
    # honest sources: without a checked publication the rendering is marked for review
    assert any(UNREVIEWED_SOURCE in t.source for t in terms.terms)
    assert set(terms.wards) == {"区", "市", "町", "村"}
    for kind, table in terms.wards.items():
        for name in ("ward", "ward_office"):
            assert set(CODES) | {"ja_easy_kana"} <= set(table[name]), (kind, name)


def test_a_malformed_glossary_is_a_typed_error() -> None:
    with pytest.raises(GlossaryError) as err:
        parse_glossary('[[term]]\nid = "x"\nja = "x"\nsource = "s"\n')
    assert err.value.where == "term x"
    with pytest.raises(GlossaryError):
        parse_glossary(
            '[[term]]\nid = "x"\nja = "x"\nsource = "s"\nmatch = "("\nrender = { en = [\'(\'] }\n'
        )
