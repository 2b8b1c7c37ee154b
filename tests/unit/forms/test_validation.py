"""Validation rules: one test per rule, asserting the field path, code and severity."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.forms.codec import filing_from_json
from kiosk.forms.master import AddressMaster
from kiosk.forms.messages import MESSAGES, RULE_MESSAGES, message, msgid
from kiosk.forms.model import (
    Address,
    AddressScheme,
    Filer,
    Filing,
    FilingKind,
    Household,
    HouseholdMode,
    Member,
    MoveOutRoute,
    PersonName,
    Sex,
    Standing,
)
from kiosk.forms.relationship import HEAD, Relationship
from kiosk.forms.validation import (
    KATAGAKI_MAX_CHARS,
    Finding,
    Severity,
    has_errors,
    validate,
)

from .conftest import EXAMPLES
from .strategies import filings

TODAY = date(2026, 11, 27)
ALL_MESSAGES = {**MESSAGES, **RULE_MESSAGES}


def _example(name: str) -> Filing:
    return filing_from_json((EXAMPLES[0].parent / f"{name}.json").read_text(encoding="utf-8"))


def _codes(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.field, f.code, f.severity.value) for f in findings}


def _with_member(f: Filing, i: int, **changes: object) -> Filing:
    members = list(f.members)
    members[i] = dataclasses.replace(members[i], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(f, members=tuple(members))


@pytest.fixture()
def base() -> Filing:
    return _example("move_within_3_persons")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_have_no_errors(path: object, sample_master: AddressMaster) -> None:
    f = filing_from_json(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    assert not has_errors(validate(f, sample_master, today=TODAY))


def test_no_head(base: Filing, sample_master: AddressMaster) -> None:
    f = _with_member(base, 0, relationship=Relationship.parse("同居人"))
    assert ("members", "household.no_head", "error") in _codes(
        validate(f, sample_master, today=TODAY)
    )


def test_two_heads(base: Filing, sample_master: AddressMaster) -> None:
    f = _with_member(base, 2, relationship=HEAD)
    assert ("members[2].relationship", "household.multiple_heads", "error") in _codes(
        validate(f, sample_master, today=TODAY)
    )


def test_two_spouses(base: Filing, sample_master: AddressMaster) -> None:
    f = _with_member(base, 2, relationship=Relationship.parse("妻（未届）"))
    assert ("members[2].relationship", "household.multiple_spouses", "error") in _codes(
        validate(f, sample_master, today=TODAY)
    )


def test_join_needs_declared_head_and_no_member_head(
    base: Filing, sample_master: AddressMaster
) -> None:
    f = dataclasses.replace(base, household=Household(HouseholdMode.JOIN))
    codes = _codes(validate(f, sample_master, today=TODAY))
    assert ("household.existing_head", "household.existing_head_missing", "error") in codes
    assert ("members[0].relationship", "household.head_in_join", "error") in codes
    ok = _example("move_in_join_existing_household")
    assert ok.head_name == "佐藤 健一"


def test_no_members(base: Filing, sample_master: AddressMaster) -> None:
    f = dataclasses.replace(
        base, members=(), filer=dataclasses.replace(base.filer, member_index=None)
    )
    assert ("members", "members.empty", "error") in _codes(validate(f, sample_master, today=TODAY))


def test_move_date_in_future_is_an_error_for_move_within(
    base: Filing, sample_master: AddressMaster
) -> None:
    f = dataclasses.replace(base, moved_on=TODAY + timedelta(days=1))
    assert ("moved_on", "moved_on.future", "error") in _codes(
        validate(f, sample_master, today=TODAY)
    )


def test_late_by_more_than_14_days_is_a_warning(base: Filing, sample_master: AddressMaster) -> None:
    on_time = dataclasses.replace(base, moved_on=TODAY - timedelta(days=14))
    assert not any(x.code == "moved_on.late" for x in validate(on_time, sample_master, today=TODAY))
    late = dataclasses.replace(base, moved_on=TODAY - timedelta(days=15))
    findings = [x for x in validate(late, sample_master, today=TODAY) if x.code == "moved_on.late"]
    assert findings and findings[0].severity is Severity.WARNING
    assert findings[0].params == {"days": 15, "limit": 14}
    assert "15" in message(findings[0], "ja") and "15 days" in message(findings[0], "en")


def test_move_out_may_be_in_the_future(sample_master: AddressMaster) -> None:
    f = _example("move_out")
    assert f.moved_on > TODAY
    assert validate(f, sample_master, today=TODAY) == []
    far = dataclasses.replace(f, moved_on=TODAY + timedelta(days=45))
    assert ("moved_on", "moved_on.too_early", "warning") in _codes(
        validate(far, sample_master, today=TODAY)
    )


def test_notified_on_in_future(base: Filing, sample_master: AddressMaster) -> None:
    f = dataclasses.replace(base, notified_on=TODAY + timedelta(days=2))
    assert ("notified_on", "notified_on.future", "error") in _codes(
        validate(f, sample_master, today=TODAY)
    )


def test_duplicate_member(base: Filing, sample_master: AddressMaster) -> None:
    twin = dataclasses.replace(base.members[2], name="山田　陽菜")  # full-width space
    f = dataclasses.replace(base, members=(*base.members, twin))
    findings = validate(f, sample_master, today=TODAY)
    dup = [x for x in findings if x.code == "member.duplicate"]
    assert [(x.field, x.params) for x in dup] == [("members[3]", {"same_as": 2})]
    assert "3" in message(dup[0], "en")  # 1-based for people


@pytest.mark.parametrize(
    ("birth", "code"),
    [
        (TODAY + timedelta(days=1), "member.birth_date.future"),
        (date(1890, 1, 1), "member.birth_date.implausible"),
    ],
)
def test_implausible_birth_dates(
    base: Filing, sample_master: AddressMaster, birth: date, code: str
) -> None:
    f = _with_member(base, 2, birth_date=birth)
    assert ("members[2].birth_date", code, "error") in _codes(
        validate(f, sample_master, today=TODAY)
    )


def test_born_after_the_move_is_a_warning(base: Filing, sample_master: AddressMaster) -> None:
    f = _with_member(base, 2, birth_date=base.moved_on + timedelta(days=1))
    assert ("members[2].birth_date", "member.birth_date.after_move", "warning") in _codes(
        validate(f, sample_master, today=TODAY)
    )


def test_furigana_rules(base: Filing, sample_master: AddressMaster) -> None:
    codes = _codes(validate(_with_member(base, 1, furigana="やまだ"), sample_master, today=TODAY))
    assert ("members[1].furigana", "member.furigana.not_katakana", "error") in codes
    codes = _codes(validate(_with_member(base, 1, furigana=""), sample_master, today=TODAY))
    assert ("members[1].furigana", "member.furigana.missing", "warning") in codes


def test_name_rules(base: Filing, sample_master: AddressMaster) -> None:
    codes = _codes(validate(_with_member(base, 1, name=" "), sample_master, today=TODAY))
    assert ("members[1].name", "member.name.empty", "error") in codes
    codes = _codes(validate(_with_member(base, 1, name="x" * 51), sample_master, today=TODAY))
    assert ("members[1].name", "member.name.too_long", "error") in codes


def test_relationship_plausibility_warnings(base: Filing, sample_master: AddressMaster) -> None:
    f = _with_member(base, 1, sex=Sex.MALE)  # 妻 but male
    assert ("members[1].relationship", "member.relationship.sex_mismatch", "warning") in _codes(
        validate(f, sample_master, today=TODAY)
    )
    f = _with_member(base, 2, birth_date=date(1980, 1, 1))  # 子 older than the head
    assert ("members[2].birth_date", "member.relationship.child_not_younger", "warning") in (
        _codes(validate(f, sample_master, today=TODAY))
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"block": "99"}, "unknown_block"),
        ({"residence": "999"}, "unknown_residence"),
        ({"machiaza_id": "0999001"}, "unknown_town"),
        ({"scheme": AddressScheme.PARCEL, "chiban": "1"}, "not_parcel"),
    ],
)
def test_new_address_must_resolve(
    base: Filing, sample_master: AddressMaster, change: dict[str, object], reason: str
) -> None:
    new = dataclasses.replace(base.new_address, **change)  # type: ignore[arg-type]
    f = dataclasses.replace(base, new_address=new)
    findings = [
        x for x in validate(f, sample_master, today=TODAY) if x.code == "address.unresolved"
    ]
    assert [(x.field, x.params) for x in findings] == [("new_address", {"reason": reason})]


def test_new_address_rules(base: Filing, sample_master: AddressMaster) -> None:
    free = Address(AddressScheme.FREE_TEXT, free_text="東京都新宿区どこか1-1")
    codes = _codes(
        validate(dataclasses.replace(base, new_address=free), sample_master, today=TODAY)
    )
    assert ("new_address", "address.free_text_not_allowed", "error") in codes
    other = dataclasses.replace(base.new_address, lg_code="131016")
    codes = _codes(
        validate(dataclasses.replace(base, new_address=other), sample_master, today=TODAY)
    )
    assert ("new_address", "address.not_in_ward", "error") in codes
    same = dataclasses.replace(base, old_address=base.new_address)
    assert ("new_address", "address.same_as_old", "error") in _codes(
        validate(same, sample_master, today=TODAY)
    )
    no_old = dataclasses.replace(base, old_address=None)
    assert ("old_address", "address.missing", "error") in _codes(
        validate(no_old, sample_master, today=TODAY)
    )
    out = _example("move_out")
    blank = dataclasses.replace(out, new_address=Address(AddressScheme.FREE_TEXT))
    assert ("new_address", "address.missing", "error") in _codes(
        validate(blank, sample_master, today=TODAY)
    )


def test_katagaki_limits(base: Filing, sample_master: AddressMaster) -> None:
    long = dataclasses.replace(base.new_address, katagaki="あ" * (KATAGAKI_MAX_CHARS + 1))
    assert ("new_address.katagaki", "address.katagaki.too_long", "error") in _codes(
        validate(dataclasses.replace(base, new_address=long), sample_master, today=TODAY)
    )
    exact = dataclasses.replace(base.new_address, katagaki="あ" * KATAGAKI_MAX_CHARS)
    assert not any(
        x.code == "address.katagaki.too_long"
        for x in validate(dataclasses.replace(base, new_address=exact), sample_master, today=TODAY)
    )
    unlisted = sample_master.address("0020003", block="5", residence="2", katagaki="未登録荘1")
    assert not unlisted.katagaki_listed
    assert ("new_address.katagaki", "address.katagaki.unlisted", "warning") in _codes(
        validate(dataclasses.replace(base, new_address=unlisted), sample_master, today=TODAY)
    )


def test_filer_rules(base: Filing, sample_master: AddressMaster) -> None:
    bad_index = dataclasses.replace(base, filer=dataclasses.replace(base.filer, member_index=7))
    assert ("filer.member_index", "filer.member_index.invalid", "error") in _codes(
        validate(bad_index, sample_master, today=TODAY)
    )
    proxy = dataclasses.replace(base, filer=Filer("代理 人", Standing.PROXY))
    assert ("filer.address", "address.missing", "error") in _codes(
        validate(proxy, sample_master, today=TODAY)
    )
    head = dataclasses.replace(
        base, filer=dataclasses.replace(base.filer, standing=Standing.HEAD, member_index=1)
    )
    assert ("filer.standing", "filer.standing_mismatch", "warning") in _codes(
        validate(head, sample_master, today=TODAY)
    )
    nameless = dataclasses.replace(base, filer=dataclasses.replace(base.filer, name=""))
    assert ("filer.name", "filer.name.empty", "error") in _codes(
        validate(nameless, sample_master, today=TODAY)
    )


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("03-1234-5678", True),
        ("09012345678", True),
        ("+81-90-1234-5678", True),
        ("123", False),
        ("03-1234-567a", False),
        ("0000000000000000", False),
    ],
)
def test_phone(base: Filing, sample_master: AddressMaster, phone: str, ok: bool) -> None:
    codes = _codes(validate(dataclasses.replace(base, phone=phone), sample_master, today=TODAY))
    assert (("phone", "phone.invalid", "error") not in codes) is ok


def test_gaiji_names_are_flagged_for_the_clerk(sample_master: AddressMaster) -> None:
    findings = validate(_example("move_within_gaiji_names"), sample_master, today=TODAY)
    chars = {x.params["chars"] for x in findings if x.code == "member.name.outside_jis"}
    assert chars == {"𠮷", "髙", "髙𠮷"}
    assert all(x.severity is Severity.WARNING for x in findings)


def test_without_a_master_addresses_are_not_resolved(base: Filing) -> None:
    odd = dataclasses.replace(base, new_address=dataclasses.replace(base.new_address, block="99"))
    assert not has_errors(validate(odd, None, today=TODAY))


def test_every_code_has_ja_and_en_texts(base: Filing, sample_master: AddressMaster) -> None:
    for code, texts in MESSAGES.items():
        assert texts.get("ja") and texts.get("en"), code
        assert msgid(code) == texts["en"]
    f = Finding("x", "moved_on.late", Severity.WARNING, {"days": 20, "limit": 14})
    assert message(f, "ja-Hira") == message(f, "ja")
    assert message(f, "vi") == message(f, "en")  # fallback until the app adds languages
    assert message(f, "vi", translate=lambda mid, lang: "trễ {days} ngày") == "trễ 20 ngày"
    assert message(Finding("x", "unknown.code", Severity.ERROR), "ja") == "unknown.code"


def test_all_emitted_codes_have_messages(sample_master: AddressMaster) -> None:
    """Walk many broken variants and check that every emitted code is in the catalogue."""
    base = _example("move_in_6_members")
    variants = [
        dataclasses.replace(base, members=()),
        dataclasses.replace(
            base,
            moved_on=TODAY + timedelta(days=3),
            phone="x",
            notified_on=TODAY + timedelta(days=1),
        ),
        dataclasses.replace(base, household=Household(HouseholdMode.JOIN, PersonName(""))),
        _with_member(base, 3, name="", furigana="abc", birth_date=date(1800, 1, 1)),
    ]
    for f in variants:
        for finding in validate(f, sample_master, today=TODAY):
            assert finding.code in ALL_MESSAGES, finding.code


def test_members_fixture_sanity() -> None:
    m = Member("a", "ア", date(2000, 1, 1), Sex.MALE, HEAD)
    assert m.card_tasks == frozenset()
    assert FilingKind.MOVE_OUT.label_ja == "転出"


@settings(max_examples=80, deadline=None)
@given(filings(max_members=6), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_validation_never_crashes_and_only_uses_catalogued_codes(
    sample_master: AddressMaster, filing: Filing, today: date
) -> None:
    for finding in validate(filing, sample_master, today=today):
        assert finding.code in ALL_MESSAGES, finding.code
        assert message(finding, "ja") and message(finding, "en")


def test_special_move_in_is_decided_by_the_route_not_by_the_chip(
    sample_master: AddressMaster,
) -> None:
    f = _example("move_in_6_members")
    late = dataclasses.replace(f, moved_on=TODAY - timedelta(days=20))
    codes = _codes(validate(late, sample_master, today=TODAY))
    # read from chips, but nobody said how they left: the counter asks, no 特例 verdict
    assert ("move_out_route", "move_out_route.missing", "warning") in codes
    assert not any(code.startswith("special_move_in") for _, code, _ in codes)
    by_card = dataclasses.replace(
        late, move_out_route=MoveOutRoute.CARD, planned_move_out_on=TODAY - timedelta(days=25)
    )
    codes = _codes(validate(by_card, sample_master, today=TODAY))
    assert ("moved_on", "special_move_in.expired", "warning") in codes


def test_suggested_related_procedures_follow_the_household() -> None:
    from kiosk.forms.model import RelatedProcedure as P
    from kiosk.forms.related import suggested_procedures

    six = _example("move_in_6_members")  # ages 51, 48, 21, 14, 80, 77
    assert suggested_procedures(six, today=TODAY) == [
        P.NATIONAL_HEALTH_INSURANCE,
        P.NATIONAL_PENSION,
        P.LONG_TERM_CARE,
        P.LATE_ELDERLY_MEDICAL,
        P.CHILD_ALLOWANCE,
        P.SCHOOL_ENROLMENT,
        P.SEAL_REGISTRATION,
    ]
    out = _example("move_out")  # ages 47 and 45
    assert suggested_procedures(out, today=TODAY) == [
        P.NATIONAL_HEALTH_INSURANCE,
        P.NATIONAL_PENSION,
        P.SEAL_REGISTRATION,
    ]


def test_household_split_leaves_two_households_each_with_one_head() -> None:
    split = _example("household_split")
    assert not has_errors(validate(split, None, today=TODAY))
    # the split-off member heads the new household; the old one keeps its declared head
    no_remaining = dataclasses.replace(split, household=Household(previous_head=None))
    assert ("household.previous_head", "household.remaining_head_missing", "error") in _codes(
        validate(no_remaining, None, today=TODAY)
    )
    leaving_head = dataclasses.replace(
        split, household=Household(previous_head=PersonName(split.members[0].name))
    )
    assert ("household.previous_head", "household.remaining_head_leaves", "error") in _codes(
        validate(leaving_head, None, today=TODAY)
    )
    # and the new household still needs exactly one head of its own
    headless = _with_member(split, 0, relationship=Relationship.parse("子"))
    assert ("members", "household.no_head", "error") in _codes(
        validate(headless, None, today=TODAY)
    )


def test_joining_keeps_the_declared_head_as_the_only_head() -> None:
    join = _example("move_in_join_existing_household")
    assert join.household.mode is HouseholdMode.JOIN
    assert join.head_name == join.household.existing_head.name  # type: ignore[union-attr]
    assert not has_errors(validate(join, None, today=TODAY))
    as_head = _with_member(join, 0, relationship=HEAD)
    assert ("members[0].relationship", "household.head_in_join", "error") in _codes(
        validate(as_head, None, today=TODAY)
    )


def test_head_change_needs_another_person_as_head() -> None:
    base = _example("move_within_3_persons")
    head = base.members[0]
    change = dataclasses.replace(
        base,
        kind=FilingKind.HEAD_CHANGE,
        old_address=None,
        household=Household(previous_head=PersonName(head.name)),
    )
    assert ("members[0].relationship", "household.head_unchanged", "error") in _codes(
        validate(change, None, today=TODAY)
    )
    other = dataclasses.replace(change, household=Household(previous_head=PersonName("山田 一")))
    assert "household.head_unchanged" not in {f.code for f in validate(other, None, today=TODAY)}
