"""The catalog ruby notation 《base｜reading》: parsing, validation, the marked form."""

from __future__ import annotations

import pytest

from kiosk.i18n.ruby import (
    ANCHOR,
    SEPARATOR,
    TERMINATOR,
    RubySyntaxError,
    Segment,
    has_ruby,
    parse,
    parse_marked,
    plain_text,
    to_marked,
)


def test_parse_splits_plain_text_and_groups() -> None:
    assert parse("《住所｜じゅうしょ》を 《選｜えら》んで ください。") == [
        Segment("住所", "じゅうしょ"),
        Segment("を "),
        Segment("選", "えら"),
        Segment("んで ください。"),
    ]


def test_text_without_groups_is_one_plain_segment() -> None:
    assert parse("{counter}ばん まどぐち") == [Segment("{counter}ばん まどぐち")]
    assert parse("") == []


def test_placeholders_inside_text_survive_untouched() -> None:
    marked = to_marked("{counter}《番｜ばん》 《窓口｜まどぐち》")
    assert marked.startswith("{counter}")
    assert marked.format(counter=3) == f"3{ANCHOR}番{SEPARATOR}ばん{TERMINATOR} " + (
        f"{ANCHOR}窓口{SEPARATOR}まどぐち{TERMINATOR}"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("《住所｜じゅうしょ", "unclosed ruby group"),
        ("住所｜じゅうしょ》", "outside a ruby group"),
        ("《住所じゅうしょ》", "exactly one separator"),
        ("《住｜じゅう｜しょ》", "exactly one separator"),
        ("《｜じゅうしょ》", "empty ruby base or reading"),
        ("《住所｜》", "empty ruby base or reading"),
        ("《 ｜じゅうしょ》", "empty ruby base or reading"),
        ("《住《所｜しょ》》", "nested ruby group"),
    ],
)
def test_malformed_notation_is_rejected_with_its_position(text: str, reason: str) -> None:
    with pytest.raises(RubySyntaxError) as caught:
        parse(text)
    assert reason in caught.value.reason
    assert 0 <= caught.value.position < len(text)


def test_marked_form_round_trips_and_is_detected() -> None:
    marked = to_marked("《転入｜てんにゅう》する")
    assert has_ruby(marked)
    assert parse_marked(marked) == [Segment("転入", "てんにゅう"), Segment("する")]
    assert plain_text(marked) == "転入する"


def test_notation_itself_is_not_ruby_to_the_screens() -> None:
    """Names or addresses typed with 《｜》 are not marked, so they are never drawn as ruby."""
    typed = "《山田｜やまだ》"
    assert not has_ruby(typed)
    assert parse_marked(typed) == [Segment(typed)]
    assert plain_text(typed) == typed


def test_malformed_markers_stay_literal() -> None:
    broken = f"a{ANCHOR}b{TERMINATOR}c{ANCHOR}"
    assert parse_marked(broken) == [Segment(broken)]
