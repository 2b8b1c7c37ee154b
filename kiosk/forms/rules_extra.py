"""More format-2 rules (domain-procedures.md §1–§5, §7, §8), called from :mod:`kiosk.forms.rules`.

Online 転出 window, 国外転出 (≥ 1 year, the 世帯主 leaving alone), the automatic 世帯主, 続柄
relative to the (new) 世帯主, the 委任状 date, the 在留期間 特例期間, 一時庇護 / 仮滞在 permits and
the deadlines of related procedures. Values that differ between wards come from
:class:`~kiosk.forms.settings.WardSettings`.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from kiosk.forms.decisions import (
    age_on,
    online_move_out_window,
    power_of_attorney_valid_until,
    residence_grace_until,
)
from kiosk.forms.findings import Finding, err, warn
from kiosk.forms.model import (
    Filing,
    FilingKind,
    ForeignCategory,
    HouseholdMode,
    Member,
    MoveOutRoute,
    OriginHousehold,
    Standing,
)
from kiosk.forms.related import related_deadlines
from kiosk.forms.relationship import RelationshipKind
from kiosk.forms.settings import WardSettings

#: 30条45 区分 that carry a permit (一時庇護許可書 / 仮滞在許可書) and its period instead of a card
PERMIT_CATEGORIES = (ForeignCategory.TEMPORARY_REFUGE, ForeignCategory.PROVISIONAL_STAY)


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _movers(f: Filing) -> set[str]:
    return {_key(m.name) for m in f.members}


def is_abroad_move_out(f: Filing) -> bool:
    """A 転出 whose destination is abroad (国外転出: the address names a country)."""
    return f.kind is FilingKind.MOVE_OUT and bool(f.new_address.country.strip())


def head_leaves(f: Filing) -> bool:
    """The 世帯主 of the old household (``household.previous_head``) is among the movers."""
    previous = f.household.previous_head
    return previous is not None and _key(previous.name) in _movers(f)


def automatic_head(origin: OriginHousehold) -> bool:
    """One stayer, or one adult plus children under 15: that adult becomes 世帯主 by 職権 —
    no 世帯主変更 and no declared remaining 世帯主 [JYUKI j490][HAMADA-S][ITABASHI-SETAI]."""
    adults = origin.staying - origin.staying_children
    return origin.staying >= 1 and adults == 1


# ----------------------------------------------------------------------------- 転出 routes


def online_route(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    """マイナポータル 転出 can only be sent from 30 days before the planned date [SHIBUKAWA].

    A 転入 after an online 転出 whose planned date is still more than 30 days ahead cannot
    have been preceded by one: the date is wrong or the online notice was never sent.
    """
    planned = f.planned_move_out_on
    if f.kind is not FilingKind.MOVE_IN or f.move_out_route is not MoveOutRoute.ONLINE:
        return []
    if planned is None:
        return []
    first, last = online_move_out_window(planned, settings)
    if today < first:
        return [
            warn(
                "planned_move_out_on",
                "special_move_in.online_window",
                first_day=first.isoformat(),
                last_day=last.isoformat(),
            )
        ]
    return []


def abroad_move_out(f: Filing, settings: WardSettings) -> list[Finding]:
    """国外転出 only when staying abroad ≥ 1 year [NAKATSU][MATSUE]; the 世帯主 leaving alone
    may need the new 世帯主's consent [KOKA]."""
    answer = f.abroad_for_one_year_or_more
    path = "abroad_for_one_year_or_more"
    if not is_abroad_move_out(f):
        return (
            [err(path, "abroad_for_one_year_or_more.not_applicable")] if answer is not None else []
        )
    out: list[Finding] = []
    if answer is None:
        out.append(warn(path, "move_out.abroad_duration_unknown"))
    elif not answer:
        out.append(err(path, "move_out.abroad_under_one_year"))
    if settings.abroad_head_leaving_consent and f.household.origin is not None and head_leaves(f):
        out.append(warn("household.origin.remaining_head", "move_out.abroad_new_head_consent"))
    return out


# ----------------------------------------------------------------------------- household


def head_change_not_needed(f: Filing, today: date, settings: WardSettings) -> bool:
    """世帯主変更 after the old 世帯主 left, with one member or one adult + children under 15
    remaining: the adult is 世帯主 automatically, no 届出 [HAMADA-S][ITABASHI-SETAI]."""
    previous = f.household.previous_head
    if f.kind is not FilingKind.HEAD_CHANGE or previous is None or not f.members:
        return False
    if _key(previous.name) in _movers(f):
        return False  # the old head stays in the household: the change is a real choice
    adults = [
        m for m in f.members if age_on(m.birth_date, today) >= settings.automatic_head_child_age
    ]
    return len(adults) <= 1


def automatic_head_findings(f: Filing) -> list[Finding]:
    """A partial move whose stayers get their 世帯主 automatically: print the result (§2.2)."""
    origin = f.household.origin
    if (
        origin is not None
        and origin.remaining_head is None
        and head_leaves(f)
        and automatic_head(origin)
    ):
        return [warn("household.origin.staying", "household.origin.automatic_head")]
    return []


def _relative_to_other_head(m: Member, head: Member) -> bool:
    """夫/妻 (and chains through them) name the head's spouse: a 妻 needs a male head."""
    rel = m.relationship
    if rel.kind is not RelationshipKind.CHAIN or not rel.links[0].is_spouse:
        return False
    return rel.links[0].gender == head.sex.value


def relationship_to_head(f: Filing) -> list[Finding]:
    """Every 続柄 is declared relative to the (new) 世帯主 [JYUKI j730][HITOSEN-ZOKU]: a 妻 of a
    female 世帯主 (or 妻の子, 夫の母 …) still relates to someone else, usually the old head."""
    head = f.head_member
    if head is None or f.household.mode is HouseholdMode.JOIN:
        return []
    return [
        warn(
            f"members[{i}].relationship",
            "member.relationship.not_relative_to_head",
            relationship=m.relationship.display,
        )
        for i, m in enumerate(f.members)
        if m is not head and _relative_to_other_head(m, head)
    ]


# ----------------------------------------------------------------------------- filer


def power_of_attorney(f: Filing, settings: WardSettings) -> list[Finding]:
    """The 委任状 date: not after the 届出日, not older than 3 months [YOSHINOGAWA][FUJINOMIYA]."""
    dated = f.filer.power_of_attorney_dated
    path = "filer.power_of_attorney_dated"
    if dated is None:
        return []
    if f.filer.standing is not Standing.PROXY:
        return [err(path, "filer.power_of_attorney_dated.not_applicable")]
    if dated > f.notified_on:
        return [err(path, "filer.proxy.power_of_attorney_future")]
    until = power_of_attorney_valid_until(dated, settings)
    if until is not None and f.notified_on > until:
        months = settings.power_of_attorney_valid_months
        return [warn(path, "filer.proxy.power_of_attorney_old", months=months)]
    return []


def filer_household(f: Filing) -> list[Finding]:
    """A 世帯主 / 同一世帯員 who is not one of the members, when the whole household moves: a
    relative in another household files as 任意代理人 with a 委任状 [SUGINAMI-SETAI]."""
    filer = f.filer
    if filer.standing not in (Standing.HEAD, Standing.HOUSEHOLD_MEMBER):
        return []
    if filer.member_index is not None or f.household.mode is HouseholdMode.JOIN:
        return []
    if f.household.origin is not None or f.kind is FilingKind.HOUSEHOLD_SPLIT:
        return []  # someone stays in the old household and may file for the movers
    return [warn("filer.standing", "filer.not_same_household")]


# ----------------------------------------------------------------------------- foreign residents


def foreign_period(i: int, m: Member, today: date, settings: WardSettings) -> list[Finding]:
    """The 在留期間 / permit period of one foreign member (§5.1; [OTA-F] 特例期間)."""
    x = m.foreign
    if x is None:
        return []
    p = f"members[{i}].foreign"
    ends = x.period_ends_on
    if x.category is ForeignCategory.MID_LONG_TERM:
        if ends is None or ends >= today:
            return []
        grace = residence_grace_until(ends, settings)
        if today <= grace:
            return [
                warn(f"{p}.period_ends_on", "member.foreign.period_grace", by=grace.isoformat())
            ]
        return [warn(f"{p}.period_ends_on", "member.foreign.period_expired")]
    if x.category in PERMIT_CATEGORIES:
        if ends is None:
            return [warn(f"{p}.period_ends_on", "member.foreign.permit_period_missing")]
        if ends < today:
            return [warn(f"{p}.period_ends_on", "member.foreign.permit_expired")]
    return []


def bring_document(i: int, m: Member, f: Filing) -> list[Finding]:
    """What to bring for a foreign member moving in: the card (住居地届出 on its back) or the
    一時庇護許可書 / 仮滞在許可書 [TOYONAKA][TOSHIMA-F][KOTO-F]."""
    x = m.foreign
    if x is None or not f.kind.moves_into_ward:
        return []
    code = (
        "member.foreign.bring_permit"
        if x.category in PERMIT_CATEGORIES
        else ("member.foreign.bring_card")
    )
    return [warn(f"members[{i}].foreign", code)]


# ----------------------------------------------------------------------------- related


_DEADLINE_CODES = {
    "national_health_insurance": "related.national_health_insurance.deadline",
    "long_term_care": "related.long_term_care.deadline",
    "late_elderly_medical": "related.late_elderly_medical.deadline",
    "child_allowance": "related.child_allowance.deadline",
}


def related_deadline_findings(f: Filing, settings: WardSettings) -> list[Finding]:
    """Each answered related procedure with its last day (§7; §8 runner-up)."""
    return [
        warn(
            f"related.{d.procedure.value}",
            _DEADLINE_CODES[d.procedure.value],
            by=d.by.isoformat(),
            days=d.days,
        )
        for d in related_deadlines(f, settings)
    ]
