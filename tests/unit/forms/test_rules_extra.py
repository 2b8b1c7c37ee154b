"""The remaining filing rules (kiosk.forms.rules_extra): online window, 国外転出 ≥ 1 year,
the automatic 世帯主, 続柄 to the new head, 委任状 date, 在留期間 特例期間, permits, deadlines."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest

from kiosk.forms.codec import filing_from_dict, filing_from_json, filing_to_dict, filing_to_json
from kiosk.forms.decisions import SpecialStatus, add_months, special_move_in
from kiosk.forms.errors import RelationshipError
from kiosk.forms.messages import MESSAGES, message, msgid
from kiosk.forms.messages_extra import EXTRA_MESSAGES
from kiosk.forms.model import (
    Address,
    AddressScheme,
    Answer,
    Filing,
    ForeignCategory,
    Member,
    MoveOutRoute,
    OriginHousehold,
    RelatedAnswer,
    RelatedProcedure,
    Sex,
    Standing,
)
from kiosk.forms.relationship import Relationship
from kiosk.forms.settings import WardSettings
from kiosk.forms.validation import Finding, validate
from kiosk.i18n.catalog import translations
from kiosk.i18n.languages import LANGUAGES, SOURCE_LANGUAGE

from .conftest import EXAMPLES

TODAY = date(2026, 11, 27)
D = date.fromisoformat


def _ex(name: str) -> Filing:
    return filing_from_json((EXAMPLES[0].parent / f"{name}.json").read_bytes())


def _codes(findings: list[Finding]) -> set[tuple[str, str, str]]:
    return {(f.field, f.code, f.severity.value) for f in findings}


def _check(f: Filing, today: date = TODAY, **kw: object) -> set[tuple[str, str, str]]:
    return _codes(validate(f, None, today=today, **kw))  # type: ignore[arg-type]


def _find(f: Filing, code: str, today: date = TODAY, **kw: object) -> list[Finding]:
    return [x for x in validate(f, None, today=today, **kw) if x.code == code]  # type: ignore[arg-type]


def _member(name: str, born: str, sex: Sex, rel: str, **kw: object) -> Member:
    return Member(name, "", D(born), sex, Relationship.parse(rel), **kw)  # type: ignore[arg-type]


# ---- 1. マイナポータル 転出 window (−30 … +10) and the 特例転入 last day for card and online


def test_online_move_out_with_a_planned_date_more_than_30_days_ahead_warns() -> None:
    base = dataclasses.replace(
        _ex("move_in_special_expired"), moved_on=D("2026-11-20"), notified_on=TODAY
    )
    assert base.move_out_route is MoveOutRoute.ONLINE
    far = dataclasses.replace(base, planned_move_out_on=TODAY + timedelta(days=31))
    [finding] = _find(far, "special_move_in.online_window")
    assert finding.field == "planned_move_out_on"
    assert finding.params == {"first_day": "2026-11-28", "last_day": "2027-01-07"}
    near = dataclasses.replace(base, planned_move_out_on=TODAY + timedelta(days=30))
    assert not _find(near, "special_move_in.online_window")
    card = dataclasses.replace(far, move_out_route=MoveOutRoute.CARD)
    assert not _find(card, "special_move_in.online_window")  # the card route has no such window
    wide = WardSettings(online_move_out_before_days=45)
    assert not _find(far, "special_move_in.online_window", settings=wide)


@pytest.mark.parametrize("route", [MoveOutRoute.CARD, MoveOutRoute.ONLINE])
def test_card_and_online_routes_share_the_special_move_in_last_day(route: MoveOutRoute) -> None:
    f = dataclasses.replace(
        _ex("move_in_special_inside_window"),
        move_out_route=route,
        planned_move_out_on=D("2026-04-01"),
        moved_on=D("2026-04-25"),
    )
    assert special_move_in(f, today=D("2026-05-01")).status is SpecialStatus.ELIGIBLE
    assert special_move_in(f, today=D("2026-05-02")).status is SpecialStatus.EXPIRED


# ---- 2. 国外転出 only when abroad ≥ 1 year


def _abroad(answer: bool | None) -> Filing:
    f = _ex("move_out")
    return dataclasses.replace(
        f,
        new_address=Address(AddressScheme.FREE_TEXT, free_text="ハノイ", country="ベトナム"),
        abroad_for_one_year_or_more=answer,
    )


def test_abroad_move_out_needs_a_stay_of_one_year_or_more() -> None:
    path = "abroad_for_one_year_or_more"
    assert (path, "move_out.abroad_duration_unknown", "warning") in _check(_abroad(None))
    assert (path, "move_out.abroad_under_one_year", "error") in _check(_abroad(False))
    ok = _check(_abroad(True))
    assert not any(code.startswith("move_out.abroad_") and "year" in code for _, code, _ in ok)
    assert not any(code == "move_out.abroad_duration_unknown" for _, code, _ in ok)
    domestic = dataclasses.replace(_ex("move_out"), abroad_for_one_year_or_more=True)
    assert (path, "abroad_for_one_year_or_more.not_applicable", "error") in _check(domestic)


def test_abroad_answer_round_trips_and_is_null_when_missing() -> None:
    f = _abroad(True)
    raw = filing_to_dict(f)
    assert raw["format"] == 2 and raw["abroad_for_one_year_or_more"] is True
    assert filing_from_json(filing_to_json(f)) == f
    del raw["abroad_for_one_year_or_more"]
    assert filing_from_dict(raw).abroad_for_one_year_or_more is None
    # written only when answered: an older v2 filing keeps its exact bytes
    old = json.loads((EXAMPLES[0].parent / "head_change.json").read_text(encoding="utf-8"))
    assert "abroad_for_one_year_or_more" not in old
    assert filing_to_dict(filing_from_dict(old)) == old
    raw["abroad_for_one_year_or_more"] = "yes"
    with pytest.raises(ValueError, match="abroad_for_one_year_or_more"):
        filing_from_dict(raw)


# ---- 3. the 世帯主 leaves alone (abroad or 転出): new head, consent


def test_head_leaving_abroad_alone_needs_a_new_head_and_maybe_consent() -> None:
    base = _ex("move_out_partial_new_head")
    head_only = dataclasses.replace(
        base,
        members=base.members[:1],
        new_address=Address(AddressScheme.FREE_TEXT, free_text="シドニー", country="豪州"),
        abroad_for_one_year_or_more=True,
    )
    consent = ("household.origin.remaining_head", "move_out.abroad_new_head_consent", "warning")
    assert consent in _check(head_only)
    assert consent not in _check(
        head_only, settings=WardSettings(abroad_head_leaving_consent=False)
    )
    no_head = dataclasses.replace(
        head_only,
        household=dataclasses.replace(
            head_only.household, origin=OriginHousehold(remaining_head=None, staying=3)
        ),
    )
    missing = ("household.origin.remaining_head", "household.origin.remaining_head_missing")
    assert (*missing, "error") in _check(no_head)


# ---- 4. one adult + children under 15 stay: the adult becomes 世帯主 automatically


def test_one_adult_with_children_staying_needs_no_declared_new_head() -> None:
    base = _ex("move_out_partial_new_head")

    def origin(staying: int, children: int) -> Filing:
        o = OriginHousehold(remaining_head=None, staying=staying, staying_children=children)
        return dataclasses.replace(base, household=dataclasses.replace(base.household, origin=o))

    auto = _check(origin(3, 2))
    assert ("household.origin.staying", "household.origin.automatic_head", "warning") in auto
    assert not any(c == "household.origin.remaining_head_missing" for _, c, _ in auto)
    two_adults = _check(origin(3, 1))
    assert any(c == "household.origin.remaining_head_missing" for _, c, _ in two_adults)
    raw = filing_to_dict(origin(3, 2))
    assert raw["household"]["origin"]["staying_children"] == 2
    assert "staying_children" not in filing_to_dict(origin(3, 0))["household"]["origin"]
    assert filing_from_dict(raw) == origin(3, 2)
    raw["household"]["origin"]["staying_children"] = 4
    with pytest.raises(ValueError, match="staying_children"):
        filing_from_dict(raw)


def test_head_change_is_not_needed_when_one_adult_and_children_remain() -> None:
    base = _ex("head_change")
    mother = base.members[0]
    child = _member("小林 蓮", "2015-05-05", Sex.MALE, "子")
    gone = dataclasses.replace(base, members=(mother, child))  # the old head left the household
    codes = _check(gone)
    assert ("household.previous_head", "household.head_change.not_needed", "warning") in codes
    assert not any(c == "household.head_change.previous_head_not_listed" for _, c, _ in codes)
    adult_child = dataclasses.replace(child, birth_date=D("2001-12-24"))
    two_adults = _check(dataclasses.replace(base, members=(mother, adult_child)))
    assert not any(c == "household.head_change.not_needed" for _, c, _ in two_adults)
    assert any(c == "household.head_change.previous_head_not_listed" for _, c, _ in two_adults)
    assert not any(c == "household.head_change.not_needed" for _, c, _ in _check(base))
    [finding] = _find(gone, "household.head_change.not_needed")
    assert "15" in message(finding, "ja") and "15" in message(finding, "en")


# ---- 5. 続柄 relative to the new 世帯主


def test_relationship_still_relative_to_the_old_head_is_flagged() -> None:
    base = _ex("head_change")  # the wife (female) is the new head
    stale = _member("小林 花", "1945-03-03", Sex.FEMALE, "妻")  # the old head's mother as 妻
    step = _member("小林 翼", "2005-01-01", Sex.MALE, "妻の子")
    f = dataclasses.replace(base, members=(*base.members, stale, step))
    codes = _check(f)
    flag = "member.relationship.not_relative_to_head"
    assert ("members[3].relationship", flag, "warning") in codes
    assert ("members[4].relationship", flag, "warning") in codes
    assert not any(c == flag for _, c, _ in _check(base))  # 夫 of a female head is right
    [first, _] = _find(f, flag)
    assert "妻" in message(first, "ja")


# ---- 6. the 委任状 date


def _proxy(dated: date | None) -> Filing:
    f = _ex("move_within_proxy")
    return dataclasses.replace(f, filer=dataclasses.replace(f.filer, power_of_attorney_dated=dated))


def test_power_of_attorney_older_than_three_months_warns() -> None:
    path = "filer.power_of_attorney_dated"
    assert _proxy(None).notified_on == TODAY
    old = (path, "filer.proxy.power_of_attorney_old", "warning")
    assert old in _check(_proxy(D("2026-08-26")))
    assert old not in _check(_proxy(D("2026-08-27")))
    assert old not in _check(
        _proxy(D("2026-01-01")), settings=WardSettings(power_of_attorney_valid_months=0)
    )
    assert (path, "filer.proxy.power_of_attorney_future", "error") in _check(
        _proxy(TODAY + timedelta(1))
    )
    self_filed = dataclasses.replace(
        _ex("move_in_japanese_honseki"),
    )
    self_filed = dataclasses.replace(
        self_filed, filer=dataclasses.replace(self_filed.filer, power_of_attorney_dated=TODAY)
    )
    assert (path, "filer.power_of_attorney_dated.not_applicable", "error") in _check(self_filed)


def test_power_of_attorney_date_round_trips() -> None:
    f = _proxy(D("2026-11-01"))
    raw = filing_to_dict(f)
    assert raw["filer"]["power_of_attorney_dated"] == "2026-11-01"
    assert filing_from_dict(raw) == f
    del raw["filer"]["power_of_attorney_dated"]
    assert filing_from_dict(raw).filer.power_of_attorney_dated is None
    assert "power_of_attorney_dated" not in filing_to_dict(_proxy(None))["filer"]


def test_relative_of_another_household_files_as_proxy() -> None:
    f = _ex("move_within_proxy")
    member_filer = dataclasses.replace(f.filer, standing=Standing.HOUSEHOLD_MEMBER)
    codes = _check(dataclasses.replace(f, filer=member_filer))
    assert ("filer.standing", "filer.not_same_household", "warning") in codes
    assert not any(c == "filer.not_same_household" for _, c, _ in _check(f))


# ---- 7. 在留期間 特例期間 and permits


def _foreign(category: ForeignCategory, ends: date | None) -> Filing:
    f = _ex("move_in_foreign_household")
    m = f.members[1]
    assert m.foreign is not None
    x = dataclasses.replace(m.foreign, category=category, period_ends_on=ends)
    if category is not ForeignCategory.MID_LONG_TERM:
        x = dataclasses.replace(x, residence_card_number="", status="")
    return dataclasses.replace(f, members=(f.members[0], dataclasses.replace(m, foreign=x)))


def test_expired_period_of_stay_within_the_two_month_grace_is_a_pending_extension() -> None:
    p = "members[1].foreign.period_ends_on"
    grace = _find(
        _foreign(ForeignCategory.MID_LONG_TERM, D("2026-10-01")), "member.foreign.period_grace"
    )
    assert [(g.field, g.params) for g in grace] == [(p, {"by": "2026-12-01"})]
    late = _check(_foreign(ForeignCategory.MID_LONG_TERM, D("2026-09-26")))
    assert (p, "member.foreign.period_expired", "warning") in late
    assert not any(c == "member.foreign.period_grace" for _, c, _ in late)
    assert add_months(D("2026-12-31"), 2) == D("2027-02-28")


@pytest.mark.parametrize(
    "category", [ForeignCategory.TEMPORARY_REFUGE, ForeignCategory.PROVISIONAL_STAY]
)
def test_refuge_and_provisional_stay_bring_their_permit(category: ForeignCategory) -> None:
    p = "members[1].foreign"
    missing = _check(_foreign(category, None))
    assert (f"{p}.period_ends_on", "member.foreign.permit_period_missing", "warning") in missing
    assert (p, "member.foreign.bring_permit", "warning") in missing
    assert (p, "member.foreign.bring_card", "warning") not in missing
    ended = _check(_foreign(category, D("2026-11-01")))
    assert (f"{p}.period_ends_on", "member.foreign.permit_expired", "warning") in ended


# ---- 8. related procedures with the date to do them by


def _related(f: Filing, *procs: RelatedProcedure) -> Filing:
    return dataclasses.replace(f, related=tuple(RelatedAnswer(p, Answer.YES) for p in procs))


def test_related_procedures_carry_their_deadline() -> None:
    f = _related(
        _ex("move_in_japanese_honseki"),  # moved 11-25, planned 転出 11-24, from 北海道
        RelatedProcedure.NATIONAL_HEALTH_INSURANCE,
        RelatedProcedure.LATE_ELDERLY_MEDICAL,
        RelatedProcedure.CHILD_ALLOWANCE,
    )
    found = {x.code: (x.field, x.params) for x in validate(f, None, today=TODAY)}
    assert found["related.national_health_insurance.deadline"] == (
        "related.national_health_insurance",
        {"by": "2026-12-09", "days": 14},
    )
    assert found["related.late_elderly_medical.deadline"][1]["by"] == "2026-12-09"
    assert found["related.child_allowance.deadline"][1] == {"by": "2026-12-09", "days": 15}
    text = message(
        next(x for x in validate(f, None, today=TODAY) if x.code.startswith("related.child")),
        "en",
    )
    assert "2026-12-09" in text
    same_prefecture = dataclasses.replace(
        f, old_address=Address(AddressScheme.FREE_TEXT, free_text="東京都中野区中野一丁目1番1号")
    )
    codes = _check(same_prefecture)
    assert not any(c == "related.late_elderly_medical.deadline" for _, c, _ in codes)
    assert not any(
        c.endswith(".deadline")
        for _, c, _ in _check(
            _related(_ex("move_within_proxy"), RelatedProcedure.NATIONAL_HEALTH_INSURANCE)
        )
    )
    unasked = _check(_ex("move_in_japanese_honseki"))
    assert not any(c.endswith(".deadline") for _, c, _ in unasked)


# ---- texts: every new code in all 8 languages, placeholders kept


@pytest.mark.parametrize("lang", [lang.code for lang in LANGUAGES], ids=str)
def test_every_new_finding_is_translated(lang: str) -> None:
    catalog = translations(lang)
    for code, texts in EXTRA_MESSAGES.items():
        assert MESSAGES[code] == texts
        source = msgid(code)
        assert source == texts["en"]
        if lang == SOURCE_LANGUAGE:
            continue
        translated = catalog.gettext(source)
        assert translated != source, (lang, code)
        for name in ("{by}", "{days}", "{months}", "{age}", "{relationship}", "{first_day}"):
            assert (name in translated) == (name in source), (lang, code, name)


def test_moving_out_in_japan_is_told_the_child_allowance_deadline() -> None:
    f = _related(_ex("move_out"), RelatedProcedure.CHILD_ALLOWANCE)  # planned 転出 2026-12-10
    [finding] = _find(f, "related.child_allowance.deadline")
    assert finding.params == {"by": "2026-12-25", "days": 15}
    assert not _find(_related(_abroad(True), RelatedProcedure.CHILD_ALLOWANCE), finding.code)
    assert not _find(_ex("move_out"), finding.code)  # not asked / answered no


# ---- §8 audit: the parts of rules 3 and 7 no other test pins down


def test_online_move_out_is_never_the_route_of_a_move_in_from_abroad() -> None:
    f = dataclasses.replace(_ex("move_in_from_abroad_vi"), move_out_route=MoveOutRoute.ONLINE)
    assert ("move_out_route", "move_out_route.not_abroad", "error") in _check(f)


@pytest.mark.parametrize("text", ["長男", "長女", "嫁", "婿"])
def test_every_child_is_ko_and_in_laws_are_chains(text: str) -> None:
    with pytest.raises(RelationshipError):
        Relationship.parse(text)
