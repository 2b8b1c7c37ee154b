"""続柄: vocabulary, chain builder rules, parsing and export codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.forms.errors import RelationshipError
from kiosk.forms.relationship import (
    CHAIN_JOINER,
    COHABITANT,
    HEAD,
    MAX_LINKS,
    OTHER_RELATIVE,
    PLAIN_WORDS,
    Link,
    Relationship,
    RelationshipCodes,
    RelationshipKind,
    build_chain,
)

from .strategies import relationships


def _pair_rejected(a: Link, b: Link) -> bool:
    return (
        (a.is_spouse and b.is_spouse)
        or (a.is_sibling and b.is_sibling)
        or (a is Link.CHILD and b.is_parent)
    )


def test_vocabulary_is_the_standard_closed_set() -> None:
    assert [link.value for link in Link] == [
        "夫",
        "妻",
        "夫（未届）",
        "妻（未届）",
        "子",
        "父",
        "母",
        "兄",
        "姉",
        "弟",
        "妹",
    ]
    assert {k.value for k in RelationshipKind} == {"世帯主", "chain", "縁故者", "同居人"}


@pytest.mark.parametrize(
    ("links", "display"),
    [
        ([Link.CHILD, Link.CHILD], "子の子"),
        ([Link.WIFE, Link.CHILD], "妻の子"),
        ([Link.CHILD, Link.WIFE], "子の妻"),
        ([Link.CHILD, Link.HUSBAND], "子の夫"),
        ([Link.WIFE, Link.FATHER], "妻の父"),
        ([Link.FATHER, Link.MOTHER], "父の母"),
        ([Link.ELDER_BROTHER, Link.CHILD], "兄の子"),
        ([Link.WIFE_UNREGISTERED, Link.CHILD], "妻（未届）の子"),
        ([Link.CHILD] * 4, "子の子の子の子"),
    ],
)
def test_build_chain_accepts_standard_chains(links: list[Link], display: str) -> None:
    rel = build_chain(links)
    assert rel.display == display
    assert str(rel) == display
    assert Relationship.parse(display) == rel


@pytest.mark.parametrize(
    ("links", "reason"),
    [
        ([], "empty"),
        ([Link.CHILD] * 5, "too_long"),
        (["世帯主", Link.CHILD], "standalone_in_chain"),
        ([Link.CHILD, "縁故者"], "standalone_in_chain"),
        (["同居人"], "standalone_in_chain"),
        (["孫"], "unknown_word"),
        ([Link.WIFE, Link.HUSBAND], "spouse_of_spouse"),
        ([Link.HUSBAND_UNREGISTERED, Link.WIFE], "spouse_of_spouse"),
        ([Link.ELDER_BROTHER, Link.YOUNGER_BROTHER], "sibling_of_sibling"),
        ([Link.CHILD, Link.MOTHER], "parent_of_child"),
    ],
)
def test_build_chain_rejects_what_the_standard_rejects(links: list[object], reason: str) -> None:
    with pytest.raises(RelationshipError) as info:
        build_chain(links)  # type: ignore[arg-type]
    assert info.value.reason == reason
    assert info.value.code == "relationship_invalid"


@pytest.mark.parametrize("text", ["世帯主", "縁故者", "同居人"])
def test_special_values_parse_standalone(text: str) -> None:
    rel = Relationship.parse(text)
    assert rel.display == text
    assert rel.links == ()


@pytest.mark.parametrize(
    "text", ["", "孫", "子の", "の子", "子の子の子の子の子", "世帯主の妻", "子 の子"]
)
def test_parse_rejects_invalid_text(text: str) -> None:
    with pytest.raises(RelationshipError):
        Relationship.parse(text)


def test_special_relationship_cannot_carry_links() -> None:
    with pytest.raises(RelationshipError):
        Relationship(RelationshipKind.HEAD, (Link.CHILD,))


@given(st.lists(st.sampled_from(list(Link)), min_size=1, max_size=MAX_LINKS + 2))
def test_builder_accepts_exactly_the_allowed_chains(links: list[Link]) -> None:
    allowed = len(links) <= MAX_LINKS and not any(
        _pair_rejected(a, b) for a, b in zip(links, links[1:], strict=False)
    )
    if allowed:
        rel = build_chain(links)
        assert rel.display == CHAIN_JOINER.join(links)
        assert rel.links == tuple(links)
        assert rel.display.count(CHAIN_JOINER) == len(links) - 1
    else:
        with pytest.raises(RelationshipError):
            build_chain(links)


@given(relationships)
def test_display_parses_back_to_the_same_relationship(rel: Relationship) -> None:
    assert Relationship.parse(rel.display) == rel


@given(relationships)
def test_every_relationship_exports_one_code_per_link(rel: Relationship) -> None:
    codes = RelationshipCodes.load().export(rel)
    assert len(codes) == max(1, len(rel.links))
    assert all(c.isdigit() for c in codes)


def test_default_codes_and_a_ward_table(tmp_path: Path) -> None:
    default = RelationshipCodes.load()
    assert default.export(HEAD) == ("02",)
    assert default.export(build_chain([Link.CHILD, Link.WIFE])) == ("20", "12")
    assert default.export(OTHER_RELATIVE) == ("96",)
    assert default.export(COHABITANT) == ("99",)
    ward = {"name": "other ward", "codes": {**default.codes, "世帯主": "1", "子": "6"}}
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(ward, ensure_ascii=False), encoding="utf-8")
    table = RelationshipCodes.load(path)
    assert table.export(build_chain([Link.CHILD, Link.CHILD])) == ("6", "6")
    assert table.export(HEAD) == ("1",)


def test_incomplete_code_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "codes.json"
    path.write_text(json.dumps({"name": "x", "codes": {"世帯主": "02"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="lacks codes"):
        RelationshipCodes.load(path)


def test_plain_words_map_to_stored_chains() -> None:
    assert PLAIN_WORDS["孫"].display == "子の子"
    assert PLAIN_WORDS["嫁"].display == "子の妻"


def test_implied_gender() -> None:
    assert build_chain([Link.WIFE, Link.FATHER]).implied_gender == "male"
    assert build_chain([Link.CHILD]).implied_gender is None
    assert HEAD.implied_gender is None
