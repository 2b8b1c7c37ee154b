"""The filing rules of format version 2 (domain-procedures.md §1–§5, §8), run by ``validate``.

Each function returns findings with a stable code and the JSON path of the offending key.
Values that differ between wards come from :class:`~kiosk.forms.settings.WardSettings`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from kiosk.forms.decisions import (
    SpecialStatus,
    address_key,
    age_on,
    card_tasks,
    continued_use_deadline,
    in_ward,
    school_grade,
    special_last_day,
    special_move_in,
)
from kiosk.forms.findings import Finding, err, warn
from kiosk.forms.model import (
    NO_ADDRESS,
    Answer,
    CardTask,
    Filing,
    FilingKind,
    ForeignCategory,
    HouseholdMode,
    Member,
    MoveOutRoute,
    RelatedProcedure,
    Standing,
)
from kiosk.forms.relationship import RelationshipKind
from kiosk.forms.rules_extra import (
    abroad_move_out,
    automatic_head,
    automatic_head_findings,
    bring_document,
    filer_household,
    foreign_period,
    head_change_not_needed,
    online_route,
    power_of_attorney,
    related_deadline_findings,
    relationship_to_head,
)
from kiosk.forms.settings import WardSettings

#: 在留カード / 特別永住者証明書 番号: 2 letters, 8 digits, 2 letters (e.g. AB12345678CD)
RESIDENCE_CARD_RE = re.compile(r"[A-Z]{2}[0-9]{8}[A-Z]{2}")
#: a 通称 is written in kanji/kana: Latin letters (half or full width) are not allowed
ALIAS_LATIN_RE = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_MOVE_IN_KINDS = (FilingKind.MOVE_IN, FilingKind.MOVE_IN_FROM_ABROAD)
#: kinds where part of a household may leave its old household (一部転出 / 一部転居)
_ORIGIN_KINDS = (FilingKind.MOVE_OUT, FilingKind.MOVE_WITHIN, FilingKind.HOUSEHOLD_RESTRUCTURE)


def name_key(name: str) -> str:
    """A name for comparison (NFKC, spaces ignored)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _ward_names(f: Filing) -> tuple[str, str]:
    return f.new_address.prefecture, f.new_address.city


# ----------------------------------------------------------------------------- 転出 route


def move_in_route(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    """How they left the old municipality, the 特例転入 window and 国外転出 (§1, §8 rules 1–4)."""
    out: list[Finding] = []
    route = f.move_out_route
    if f.kind not in _MOVE_IN_KINDS:
        if route is not None:
            out.append(err("move_out_route", "move_out_route.not_applicable"))
        if f.planned_move_out_on is not None:
            out.append(err("planned_move_out_on", "planned_move_out_on.not_applicable"))
        if f.kind is FilingKind.MOVE_OUT:
            out += _abroad_move_out(f)
        return out + abroad_move_out(f, settings)
    if f.kind is FilingKind.MOVE_IN_FROM_ABROAD:
        if route not in (None, MoveOutRoute.ABROAD):
            out.append(err("move_out_route", "move_out_route.not_abroad"))
        out.append(warn("move_out_route", "move_in_from_abroad.documents"))
        return out
    if route is None:
        out.append(warn("move_out_route", "move_out_route.missing"))
        return out
    if route is MoveOutRoute.ABROAD:
        return [err("move_out_route", "move_out_route.abroad_is_move_in_from_abroad")]
    if route is MoveOutRoute.CERTIFICATE:
        return [warn("move_out_route", "move_in.bring_certificate")]
    if f.planned_move_out_on is None:
        out.append(warn("planned_move_out_on", "planned_move_out_on.missing"))
    decision = special_move_in(f, today=today, settings=settings)
    last = special_last_day(f, settings).isoformat()
    if decision.status is SpecialStatus.EXPIRED:
        by_moving = f.moved_on + timedelta(days=settings.special_after_moving_days)
        path = "moved_on" if decision.last_day == by_moving else "planned_move_out_on"
        out.append(warn(path, "special_move_in.expired", last_day=last))
    else:
        out.append(warn("move_out_route", "special_move_in.bring_card_and_pin", last_day=last))
        if route is MoveOutRoute.ONLINE and not any(
            m.from_chip and age_on(m.birth_date, today) >= settings.filer_min_age for m in f.members
        ):
            # マイナポータル 転出 is not possible with the card of a child under 15 [SHIBUKAWA]
            out.append(warn("move_out_route", "special_move_in.online_child_card"))
    return out + online_route(f, today, settings)


def _abroad_move_out(f: Filing) -> list[Finding]:
    """国外転出: Japanese keep the card only with 国外継続利用 by the day before departure."""
    if not f.new_address.country or not any(m.from_chip for m in f.members):
        return []
    by = f.moved_on - timedelta(days=1)
    code = "move_out.abroad_card_lapses" if f.notified_on > by else "move_out.abroad_card"
    return [warn("new_address.country", code, by=by.isoformat())]


# ----------------------------------------------------------------------------- addresses


def ward_of_old_address(f: Filing, settings: WardSettings) -> list[Finding]:
    """A 転入 from inside this ward is a 転居; a 転居 from outside it is a 転入."""
    finding = err if settings.ward_border_is_error else warn
    old = f.old_address
    if old is None or f.kind not in (FilingKind.MOVE_IN, FilingKind.MOVE_WITHIN):
        return []
    if old.lg_code:
        inside = old.lg_code == f.ward_code
    else:
        prefecture, city = _ward_names(f)
        if not city:
            return []
        inside = in_ward(old.display(), prefecture, city)
    if f.kind is FilingKind.MOVE_IN and inside:
        return [finding("old_address", "address.old_in_ward")]
    if f.kind is FilingKind.MOVE_WITHIN and not inside:
        return [finding("old_address", "address.old_outside_ward")]
    return []


# ----------------------------------------------------------------------------- household


def _names(members: tuple[Member, ...]) -> set[str]:
    return {name_key(m.name) for m in members}


def household_rules(f: Filing) -> list[Finding]:
    """世帯変更 kinds and the origin household of a partial move (§2, §8 rules 5–6)."""
    out: list[Finding] = []
    movers = _names(f.members)
    previous = f.household.previous_head
    origin = f.household.origin
    if f.kind.is_household_change:
        old = f.old_address
        moved = old is not None and address_key(old.display()) != address_key(
            f.new_address.display()
        )
        if f.new_address != NO_ADDRESS and moved:
            out.append(warn("new_address", "household_change.address_change"))
    if f.kind is FilingKind.HEAD_CHANGE and previous is None:
        out.append(err("household.previous_head", "household.previous_head_missing"))
    if f.kind is FilingKind.HOUSEHOLD_MERGE:
        if f.household.mode is not HouseholdMode.JOIN:
            out.append(err("household.mode", "household.merge_needs_existing_head"))
        if previous is not None and name_key(previous.name) not in movers:
            out.append(warn("household.previous_head", "household.merge_old_head_not_member"))
    if origin is None:
        return out
    if f.kind not in _ORIGIN_KINDS:
        return [*out, err("household.origin", "household.origin.not_applicable")]
    if previous is None:
        out.append(warn("household.previous_head", "household.previous_head_missing"))
    head_leaves = previous is not None and name_key(previous.name) in movers
    remaining = origin.remaining_head
    if remaining is not None:
        if not remaining.name.strip():
            out.append(err("household.origin.remaining_head.name", "member.name.empty"))
        elif name_key(remaining.name) in movers:
            out.append(
                err("household.origin.remaining_head", "household.origin.remaining_head_moves")
            )
    elif head_leaves and origin.staying >= 2 and not automatic_head(origin):
        # two or more stay: the remaining household needs an explicit new 世帯主 [JYUKI j490]
        out.append(
            err("household.origin.remaining_head", "household.origin.remaining_head_missing")
        )
    elif head_leaves and origin.staying == 0:
        out.append(warn("household.origin.staying", "household.origin.staying_unknown"))
    return out


# ----------------------------------------------------------------------------- members


def _foreign(i: int, m: Member) -> list[Finding]:
    x = m.foreign
    if x is None:
        return []
    p = f"members[{i}].foreign"
    out: list[Finding] = []
    if m.honseki is not None:
        out.append(err(f"members[{i}].honseki", "member.honseki.foreign"))
    if not x.nationality.strip():
        out.append(err(f"{p}.nationality", "member.foreign.nationality.missing"))
    if x.category.has_card_number:
        if not x.residence_card_number:
            out.append(
                warn(f"{p}.residence_card_number", "member.foreign.residence_card_number.missing")
            )
        elif not RESIDENCE_CARD_RE.fullmatch(x.residence_card_number):
            out.append(
                err(f"{p}.residence_card_number", "member.foreign.residence_card_number.format")
            )
    if x.alias and ALIAS_LATIN_RE.search(x.alias):
        # 通称: only kanji/kana usable in 戸籍 [SHIKI-TSUSHO][OTA-TSUSHO]
        out.append(warn(f"{p}.alias", "member.foreign.alias.not_kanji_kana"))
    if x.category is ForeignCategory.MID_LONG_TERM:
        if not x.status.strip():
            out.append(warn(f"{p}.status", "member.foreign.status.missing"))
        if x.period_ends_on is None:
            out.append(warn(f"{p}.period_ends_on", "member.foreign.period_ends_on.missing"))
    return out


def _honseki(i: int, m: Member, f: Filing, settings: WardSettings) -> list[Finding]:
    if m.foreign is not None:
        return []
    p = f"members[{i}].honseki"
    h = m.honseki
    if h is None:
        if f.kind in _MOVE_IN_KINDS and settings.honseki_for_japanese_move_in:
            return [warn(p, "member.honseki.missing")]
        return []
    if not h.address.strip():
        return [err(f"{p}.address", "member.honseki.address.empty")]
    prefecture, city = _ward_names(f)
    if f.kind is FilingKind.MOVE_IN_FROM_ABROAD and not (
        city and in_ward(h.address, prefecture, city)
    ):
        return [warn(p, "member.honseki.bring_koseki")]  # 戸籍謄本 + 戸籍の附票 [MATSUE][TOGO]
    return []


def member_rules(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    """30条45 items, 本籍, foreign-headed households and consent (§4, §5, §8 rules 7–8)."""
    out: list[Finding] = []
    head = f.head_member
    foreign_head = head is not None and head.foreign is not None
    for i, m in enumerate(f.members):
        reading = name_key(m.furigana)
        if reading and reading == name_key(m.name) * 2:
            # the reading typed after a name that was already typed in katakana
            out.append(err(f"members[{i}].furigana", "member.furigana.repeated"))
        out += _foreign(i, m)
        out += foreign_period(i, m, today, settings)  # 在留期間 特例期間, permit periods
        out += bring_document(i, m, f)  # 住居地届出 on the card's back, or the permit
        out += _honseki(i, m, f, settings)
        rel = m.relationship
        if (
            foreign_head
            and settings.foreign_household_proof
            and rel.kind is RelationshipKind.CHAIN
            and m.foreign is not None
        ):
            # without documents the record says 同居人/縁故者 — never default to 妻/子
            out.append(warn(f"members[{i}].relationship", "member.relationship.foreign_proof"))
        unregistered = rel.kind is RelationshipKind.CHAIN and "未届" in rel.display
        if f.household.mode is HouseholdMode.JOIN and (
            rel.kind in (RelationshipKind.COHABITANT, RelationshipKind.OTHER_RELATIVE)
            or unregistered
        ):
            out.append(warn(f"members[{i}].relationship", "member.relationship.head_consent"))
    out += relationship_to_head(f)
    out += automatic_head_findings(f)
    out += _head_change(f, today, settings)
    tasks = card_tasks(f, today=today, settings=settings)
    if any(CardTask.CONTINUED_USE in t for t in tasks):
        by = continued_use_deadline(f, settings).isoformat()
        out.append(warn("members", "card.continued_use_deadline", by=by))
    if any(CardTask.SIGNATURE_CERTIFICATE in t for t in tasks):
        out.append(warn("members", "card.signature_certificate_lapses"))
    return out


def _head_change(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    """世帯主変更: the old head stays listed with his new 続柄, or no 届出 is needed at all."""
    previous = f.household.previous_head
    if f.kind is not FilingKind.HEAD_CHANGE or previous is None:
        return []
    if head_change_not_needed(f, today, settings):
        age = settings.automatic_head_child_age
        return [warn("household.previous_head", "household.head_change.not_needed", age=age)]
    if name_key(previous.name) not in _names(f.members):
        # every 続柄 changes with the 世帯主 — the old head's new one too [JYUKI j730]
        return [warn("household.previous_head", "household.head_change.previous_head_not_listed")]
    return []


# ----------------------------------------------------------------------------- filer


def filer_rules(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    """Who files: 本人, 世帯主, 同一世帯員, 任意代理人 (委任状), 法定代理人 (§3, §8 rule 9)."""
    out: list[Finding] = []
    filer = f.filer
    index = filer.member_index
    member = f.members[index] if index is not None and 0 <= index < len(f.members) else None
    if member is not None and age_on(member.birth_date, today) < settings.filer_min_age:
        out.append(err("filer.member_index", "filer.under_15", age=settings.filer_min_age))
    if filer.standing is Standing.SELF and index is None:
        out.append(err("filer.standing", "filer.self_not_member"))
    out += power_of_attorney(f, settings)
    out += filer_household(f)
    if filer.standing is Standing.PROXY:
        out.append(warn("filer.standing", "filer.proxy.power_of_attorney"))
        has_card_work = any(card_tasks(f, today=today, settings=settings))
        if has_card_work and not settings.proxy_card_same_day:
            out.append(warn("filer.standing", "filer.proxy.card_not_same_day"))
    if filer.standing is Standing.LEGAL_REPRESENTATIVE:
        out.append(warn("filer.standing", "filer.legal_representative.documents"))
    representing = filer.standing in (Standing.PROXY, Standing.LEGAL_REPRESENTATIVE)
    if representing and index is None and not (filer.phone or f.phone):
        out.append(warn("filer.phone", "filer.phone.missing"))
    return out


# ----------------------------------------------------------------------------- related


def related_rules(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    """印鑑登録 only from 15; 就学 by school year (4月2日 rule)."""
    out: list[Finding] = []
    ages = [age_on(m.birth_date, today) for m in f.members]
    if f.answer(RelatedProcedure.SEAL_REGISTRATION) is Answer.YES and not any(
        a >= settings.seal_registration_min_age for a in ages
    ):
        out.append(
            warn(
                "related.seal_registration",
                "related.seal_registration.too_young",
                age=settings.seal_registration_min_age,
            )
        )
    if f.answer(RelatedProcedure.SCHOOL_ENROLMENT) is Answer.YES and not any(
        school_grade(m.birth_date, today) for m in f.members
    ):
        out.append(warn("related.school_enrolment", "related.school_enrolment.no_pupil"))
    return out + related_deadline_findings(f, settings)
