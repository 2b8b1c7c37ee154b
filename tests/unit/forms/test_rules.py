"""The version-2 rules (domain-procedures.md §8): one test per rule, over the shared validation."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from kiosk.forms.codec import filing_from_json
from kiosk.forms.decisions import (
    SpecialStatus,
    address_key,
    card_tasks,
    school_grade,
    special_move_in,
    with_card_tasks,
)
from kiosk.forms.model import (
    NO_ADDRESS,
    Address,
    AddressScheme,
    Answer,
    CardTask,
    Filer,
    Filing,
    ForeignResident,
    MoveOutRoute,
    OriginHousehold,
    PersonName,
    RelatedAnswer,
    RelatedProcedure,
    Standing,
)
from kiosk.forms.related import suggested_procedures
from kiosk.forms.relationship import COHABITANT, Relationship
from kiosk.forms.settings import WardSettings, WardSettingsError
from kiosk.forms.validation import Finding, validate

from .conftest import EXAMPLES

TODAY = date(2026, 11, 27)
D = date.fromisoformat


def _ex(name: str) -> Filing:
    return filing_from_json((EXAMPLES[0].parent / f"{name}.json").read_bytes())


def _codes(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.field, f.code, f.severity.value) for f in findings}


def _check(f: Filing, **kw: object) -> set[tuple[str, str, str]]:
    return _codes(validate(f, None, today=TODAY, **kw))  # type: ignore[arg-type]


# ---- rule 1: 特例転入 window = min(転出予定日 + 30, 住み始めた日 + 14)


@pytest.mark.parametrize(
    ("planned", "moved", "today", "status", "last"),
    [
        ("2026-04-01", "2026-04-25", "2026-05-01", "eligible", "2026-05-01"),  # P + 30 binds
        ("2026-04-01", "2026-04-25", "2026-05-02", "expired", "2026-05-01"),
        ("2026-04-01", "2026-04-03", "2026-04-17", "eligible", "2026-04-17"),  # M + 14 binds
        ("2026-04-01", "2026-04-03", "2026-04-18", "expired", "2026-04-17"),
    ],
)
def test_special_move_in_window_is_the_earlier_of_both_limits(
    planned: str, moved: str, today: str, status: str, last: str
) -> None:
    f = dataclasses.replace(
        _ex("move_in_special_inside_window"),
        planned_move_out_on=D(planned),
        moved_on=D(moved),
        notified_on=D(today),
    )
    decision = special_move_in(f, today=D(today))
    assert decision.as_dict() == {"status": status, "last_day": last}


@pytest.mark.parametrize("route", [None, MoveOutRoute.CERTIFICATE, MoveOutRoute.ABROAD])
def test_special_move_in_needs_a_card_or_online_move_out(route: MoveOutRoute | None) -> None:
    f = dataclasses.replace(_ex("move_in_special_inside_window"), move_out_route=route)
    assert special_move_in(f, today=TODAY).status is SpecialStatus.NOT_APPLICABLE


def test_expired_window_warns_and_the_card_gets_no_tasks() -> None:
    f = _ex("move_in_special_expired")
    assert ("planned_move_out_on", "special_move_in.expired", "warning") in _check(f)
    assert card_tasks(f, today=TODAY) == [frozenset()]


def test_the_window_is_a_ward_setting() -> None:
    f = _ex("move_in_special_expired")
    wide = WardSettings(special_after_planned_days=90, special_after_moving_days=60)
    assert special_move_in(f, today=TODAY, settings=wide).status is SpecialStatus.ELIGIBLE


# ---- rule 2: no future dates except 転出


def test_move_in_before_moving_is_refused_but_move_out_may_be_planned() -> None:
    f = dataclasses.replace(_ex("move_in_japanese_honseki"), moved_on=TODAY + timedelta(days=1))
    assert ("moved_on", "moved_on.future", "error") in _check(f)
    out = _ex("move_out_partial_new_head")
    assert out.moved_on > TODAY and not any(c == "moved_on.future" for _, c, _ in _check(out))


# ---- rule 3: online 転出 not with a child's card


def test_online_move_out_with_only_a_child_card_warns() -> None:
    f = _ex("move_in_special_inside_window")
    child = dataclasses.replace(f.members[0], birth_date=D("2015-01-01"))
    f = dataclasses.replace(
        f, move_out_route=MoveOutRoute.ONLINE, members=(child,), filer=Filer("x", Standing.HEAD)
    )
    assert ("move_out_route", "special_move_in.online_child_card", "warning") in _check(f)


# ---- rule 4: 国外転出 / 国外からの転入


def test_abroad_route_on_a_domestic_move_in_is_an_error() -> None:
    f = dataclasses.replace(_ex("move_in_japanese_honseki"), move_out_route=MoveOutRoute.ABROAD)
    assert ("move_out_route", "move_out_route.abroad_is_move_in_from_abroad", "error") in _check(f)


def test_move_out_abroad_names_the_continued_use_deadline() -> None:
    f = _ex("move_out_partial_new_head")
    abroad = dataclasses.replace(
        f, new_address=Address(AddressScheme.FREE_TEXT, free_text="Hanoi", country="ベトナム")
    )
    found = validate(abroad, None, today=TODAY)
    hit = [x for x in found if x.code == "move_out.abroad_card"]
    assert hit and hit[0].params["by"] == "2026-12-04"


# ---- rule 5: the 世帯主 leaves and two or more stay


def test_remaining_head_required_when_the_head_leaves_and_two_stay() -> None:
    f = _ex("move_out_partial_new_head")
    assert not any(sev == "error" for _, _, sev in _check(f))
    missing = dataclasses.replace(
        f, household=dataclasses.replace(f.household, origin=OriginHousehold(None, staying=2))
    )
    assert (
        "household.origin.remaining_head",
        "household.origin.remaining_head_missing",
        "error",
    ) in _check(missing)
    one = dataclasses.replace(
        f, household=dataclasses.replace(f.household, origin=OriginHousehold(None, staying=1))
    )
    assert not any(sev == "error" for _, _, sev in _check(one))  # one stayer: automatic
    mover = dataclasses.replace(
        f,
        household=dataclasses.replace(
            f.household, origin=OriginHousehold(PersonName("加藤 良子"), staying=3)
        ),
    )
    assert (
        "household.origin.remaining_head",
        "household.origin.remaining_head_moves",
        "error",
    ) in _check(mover)


# ---- rule 6: 世帯変更 carries no address and cannot be pre-dated


@pytest.mark.parametrize("name", ["household_split_no_address", "household_merge", "head_change"])
def test_household_changes_need_no_address(name: str) -> None:
    f = _ex(name)
    assert f.new_address == NO_ADDRESS
    assert not any(sev == "error" for _, _, sev in _check(f))
    ahead = dataclasses.replace(f, moved_on=TODAY + timedelta(days=3))
    assert ("moved_on", "moved_on.future", "error") in _check(ahead)


def test_household_change_with_another_address_is_an_error() -> None:
    f = dataclasses.replace(
        _ex("household_split"),
        old_address=Address(AddressScheme.FREE_TEXT, free_text="東京都新宿区北町12番地3"),
    )
    assert ("new_address", "household_change.address_change", "warning") in _check(f)


def test_head_change_needs_the_previous_head() -> None:
    f = _ex("head_change")
    f = dataclasses.replace(f, household=dataclasses.replace(f.household, previous_head=None))
    assert ("household.previous_head", "household.previous_head_missing", "error") in _check(f)


# ---- rule 7: 続柄 declared; 未届 links; consent when joining


def test_unregistered_spouse_is_a_link_and_joining_as_one_needs_consent() -> None:
    assert Relationship.parse("妻（未届）").is_direct_spouse
    assert Relationship.parse("夫（未届）の子").display == "夫（未届）の子"
    f = _ex("move_in_join_existing_household")
    joined = dataclasses.replace(
        f, members=(dataclasses.replace(f.members[0], relationship=COHABITANT),)
    )
    assert ("members[0].relationship", "member.relationship.head_consent", "warning") in _check(
        joined
    )


# ---- rule 8: foreign-headed households need proof; 在留カード番号 format


def test_foreign_household_needs_proof_of_the_relationship() -> None:
    codes = _check(_ex("move_in_foreign_household"))
    assert ("members[1].relationship", "member.relationship.foreign_proof", "warning") in codes
    assert not any(sev == "error" for _, _, sev in codes)


@pytest.mark.parametrize(
    "number", ["AB1234567CD", "ab12345678cd", "AB12345678C1", "ＡＢ12345678CD"]
)
def test_residence_card_number_is_two_letters_eight_digits_two_letters(number: str) -> None:
    f = _ex("move_in_foreign_household")
    foreign = dataclasses.replace(f.members[1].foreign, residence_card_number=number)  # type: ignore[type-var]
    bad = dataclasses.replace(
        f, members=(f.members[0], dataclasses.replace(f.members[1], foreign=foreign))
    )
    assert (
        "members[1].foreign.residence_card_number",
        "member.foreign.residence_card_number.format",
        "error",
    ) in _check(bad)


def test_expired_period_of_stay_and_honseki_of_a_foreigner() -> None:
    f = _ex("move_in_foreign_household")
    x = ForeignResident("ベトナム", residence_card_number="AB12345678CD", status="留学",
                        period_ends_on=D("2026-01-01"))  # fmt: skip
    m = dataclasses.replace(f.members[1], foreign=x, honseki=f.members[0].honseki)
    codes = _check(dataclasses.replace(f, members=(f.members[0], m)))
    assert (
        "members[1].foreign.period_ends_on",
        "member.foreign.period_expired",
        "warning",
    ) in codes


def test_japanese_move_in_asks_for_honseki() -> None:
    f = _ex("move_in_japanese_honseki")
    assert not any(c.startswith("member.honseki") for _, c, _ in _check(f))
    none = dataclasses.replace(f, members=(dataclasses.replace(f.members[0], honseki=None),))
    assert ("members[0].honseki", "member.honseki.missing", "warning") in _check(none)
    off = WardSettings(honseki_for_japanese_move_in=False)
    assert not any(c.startswith("member.honseki") for _, c, _ in _check(none, settings=off))


# ---- rule 9: 届出人 — proxies, under-15s, card continuation not same day


def test_proxy_brings_a_power_of_attorney_and_card_work_is_not_same_day() -> None:
    f = _ex("move_within_proxy")
    assert ("filer.standing", "filer.proxy.power_of_attorney", "warning") in _check(f)
    with_card = dataclasses.replace(f, members=(dataclasses.replace(f.members[0], from_chip=True),))
    assert ("filer.standing", "filer.proxy.card_not_same_day", "warning") in _check(with_card)
    same_day = WardSettings(proxy_card_same_day=True)
    assert not any(
        c == "filer.proxy.card_not_same_day" for _, c, _ in _check(with_card, settings=same_day)
    )


def test_a_child_under_15_cannot_file() -> None:
    f = _ex("move_within_3_persons")
    child = dataclasses.replace(f.filer, member_index=2, standing=Standing.HOUSEHOLD_MEMBER)
    assert ("filer.member_index", "filer.under_15", "error") in _check(
        dataclasses.replace(f, filer=child)
    )


# ---- rule 10: card tasks


def test_with_card_tasks_sets_what_the_rules_compute() -> None:
    f = _ex("move_in_special_inside_window")
    bare = dataclasses.replace(
        f, members=tuple(dataclasses.replace(m, card_tasks=frozenset()) for m in f.members)
    )
    assert with_card_tasks(bare, today=TODAY) == f  # the example ships the computed tasks


def test_card_tasks_follow_the_kind() -> None:
    assert card_tasks(_ex("move_within_3_persons"), today=TODAY)[0] == {
        CardTask.SURFACE_UPDATE,
        CardTask.SIGNATURE_CERTIFICATE,
    }
    assert card_tasks(_ex("move_in_special_inside_window"), today=TODAY)[0] == set(CardTask)
    assert card_tasks(_ex("head_change"), today=TODAY) == [frozenset()] * 3


# ---- addresses: wrong side of the ward border, width-insensitive comparison


def test_move_in_from_inside_the_ward_and_move_within_from_outside_are_errors() -> None:
    strict = WardSettings(ward_border_is_error=True)
    inside = Address(AddressScheme.FREE_TEXT, free_text="東京都新宿区西新宿２丁目８番１号")
    f = dataclasses.replace(_ex("move_in_japanese_honseki"), old_address=inside)
    assert ("old_address", "address.old_in_ward", "error") in _check(f, settings=strict)
    assert ("old_address", "address.old_in_ward", "warning") in _check(f)
    outside = Address(AddressScheme.FREE_TEXT, free_text="東京都中野区中野四丁目1番1号")
    g = dataclasses.replace(_ex("move_within_3_persons"), old_address=outside)
    assert ("old_address", "address.old_outside_ward", "error") in _check(g, settings=strict)
    assert ("old_address", "address.old_outside_ward", "warning") in _check(g)


def test_full_and_half_width_addresses_compare_equal() -> None:
    assert address_key("新宿三丁目５番２号　新宿ハイツ３０２") == address_key(
        "新宿三丁目5番2号 新宿ハイツ302"
    )
    f = _ex("move_within_3_persons")
    same = Address(
        AddressScheme.FREE_TEXT, free_text="東京都新宿区新宿三丁目５番２号　新宿ハイツ３０２号室"
    )
    assert ("new_address", "address.same_as_old", "error") in _check(
        dataclasses.replace(f, old_address=same)
    )


# ---- related procedures: 印鑑登録 ≥ 15, 就学 by school year


@pytest.mark.parametrize(
    ("born", "grade"),
    [
        ("2020-04-01", 1),  # 4月1日生まれ: the earlier school year
        ("2020-04-02", None),
        ("2019-04-02", 1),
        ("2011-04-02", 9),
        ("2011-04-01", None),
    ],
)
def test_school_year_follows_the_april_2_rule(born: str, grade: int | None) -> None:
    assert school_grade(D(born), TODAY) == grade


def test_seal_registration_only_from_15() -> None:
    f = _ex("household_merge")
    kid = dataclasses.replace(f.members[1], birth_date=D("2014-01-01"))
    young = dataclasses.replace(
        f,
        members=(kid,),
        related=(RelatedAnswer(RelatedProcedure.SEAL_REGISTRATION, Answer.YES),),
    )
    assert (
        "related.seal_registration",
        "related.seal_registration.too_young",
        "warning",
    ) in _check(young)
    move_in = _ex("move_in_japanese_honseki")
    assert RelatedProcedure.SEAL_REGISTRATION in suggested_procedures(move_in, today=TODAY)
    assert RelatedProcedure.SEAL_REGISTRATION not in suggested_procedures(
        dataclasses.replace(move_in, members=(kid,)), today=TODAY
    )


def test_ward_settings_refuse_unknown_keys_and_wrong_types() -> None:
    assert WardSettings.from_mapping({"late_after_days": 10}).late_after_days == 10
    with pytest.raises(WardSettingsError):
        WardSettings.from_mapping({"late_after_dayz": 10})
    with pytest.raises(WardSettingsError):
        WardSettings.from_mapping({"late_after_days": "10"})


def test_a_reading_typed_after_a_katakana_name_must_not_repeat_it() -> None:
    f = _ex("move_within_3_persons")
    typed = dataclasses.replace(
        f.members[2], name="ヤマダ ハナコ", furigana="ヤマダ ハナコヤマダ ハナコ"
    )
    bad = dataclasses.replace(f, members=(*f.members[:2], typed))
    assert ("members[2].furigana", "member.furigana.repeated", "error") in _check(bad)
    once = dataclasses.replace(typed, furigana="ヤマダ ハナコ")
    assert not any(
        c == "member.furigana.repeated"
        for _, c, _ in _check(dataclasses.replace(f, members=(*f.members[:2], once)))
    )


def test_version_1_filings_decode_and_get_no_version_2_findings_they_cannot_satisfy() -> None:
    f = _ex("move_within_3_persons")
    assert f.move_out_route is None and f.household.origin is None
    assert not any(sev == "error" for _, _, sev in _check(f))


def test_head_change_lists_the_previous_head_and_aliases_are_kanji_or_kana() -> None:
    f = _ex("head_change")
    alone = dataclasses.replace(f, members=(f.members[0], f.members[2]))
    code = "household.head_change.previous_head_not_listed"
    assert ("household.previous_head", code, "warning") in _check(alone)
    g = _ex("move_in_foreign_household")
    x = dataclasses.replace(g.members[0].foreign, alias="Minh")  # type: ignore[type-var]
    named = dataclasses.replace(
        g, members=(dataclasses.replace(g.members[0], foreign=x), *g.members[1:])
    )
    assert ("members[0].foreign.alias", "member.foreign.alias.not_kanji_kana", "warning") in _check(
        named
    )
