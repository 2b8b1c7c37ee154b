"""Which related procedures (関連手続き) the interview should ask about, from the household."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.forms.decisions import address_key, school_grade
from kiosk.forms.model import Answer, Filing, FilingKind, RelatedProcedure
from kiosk.forms.settings import DEFAULT_SETTINGS, WardSettings

#: 後期高齢者医療 from 75 (65–74 with a certified disability: asked by the clerk)
LATE_ELDERLY_AGE = 75
#: 介護保険 第1号被保険者 from 65
LONG_TERM_CARE_AGE = 65
#: 国民年金 第1号被保険者 ages 20–59
PENSION_AGES = range(20, 60)
#: 就学 (転入学通知書) for children aged 6–15 (kept for callers; the rule is by school year)
SCHOOL_AGES = range(6, 16)
#: 印鑑登録 from 15 (ward setting)
SEAL_REGISTRATION_MIN_AGE = DEFAULT_SETTINGS.seal_registration_min_age
#: 児童手当 / 子ども医療証 up to high-school age (18 at the end of the school year, simplified)
CHILD_ALLOWANCE_MAX_AGE = 18


def age_on(born: date, on: date) -> int:
    """Age in whole years on a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def suggested_procedures(filing: Filing, *, today: date) -> list[RelatedProcedure]:
    """Procedures worth asking about for this filing, in catalogue order (general rules only).

    The age limits are general knowledge, not ward-verified: the clerk decides at the counter.
    """
    ages = [age_on(m.birth_date, today) for m in filing.members]
    wanted = {RelatedProcedure.NATIONAL_HEALTH_INSURANCE}
    if any(a >= LATE_ELDERLY_AGE for a in ages):
        wanted.add(RelatedProcedure.LATE_ELDERLY_MEDICAL)
    if any(a >= LONG_TERM_CARE_AGE for a in ages):
        wanted.add(RelatedProcedure.LONG_TERM_CARE)
    if any(a in PENSION_AGES for a in ages):
        wanted.add(RelatedProcedure.NATIONAL_PENSION)
    if any(a <= CHILD_ALLOWANCE_MAX_AGE for a in ages):
        wanted.add(RelatedProcedure.CHILD_ALLOWANCE)
    pupils = any(school_grade(m.birth_date, today) for m in filing.members)
    if pupils and filing.kind is not FilingKind.MOVE_OUT:
        wanted.add(RelatedProcedure.SCHOOL_ENROLMENT)  # 小1–中3 this school year (4月2日 rule)
    moving_ward = (FilingKind.MOVE_IN, FilingKind.MOVE_IN_FROM_ABROAD, FilingKind.MOVE_OUT)
    if filing.kind in moving_ward and any(a >= SEAL_REGISTRATION_MIN_AGE for a in ages):
        wanted.add(RelatedProcedure.SEAL_REGISTRATION)  # registration ends on 転出; ≥ 15 only
    return [p for p in RelatedProcedure if p in wanted]


@dataclass(frozen=True, slots=True)
class RelatedDeadline:
    """A related procedure the resident must do at the counter by a day (§7)."""

    procedure: RelatedProcedure
    by: date
    days: int


#: answers that mean "this concerns us" (``unsure``: the counter asks, the date still helps)
_CONCERNED = (Answer.YES, Answer.UNSURE)


def _from_other_prefecture(filing: Filing) -> bool:
    """True unless the old address lies in the new address's prefecture (後期高齢: within one
    prefecture the 広域連合 stays the same and the new card comes by post [TOKYO-IKIIKI])."""
    if filing.kind is FilingKind.MOVE_IN_FROM_ABROAD or filing.old_address is None:
        return True
    prefecture = address_key(filing.new_address.prefecture)
    if not prefecture:
        return True
    old = filing.old_address
    if old.prefecture:
        return address_key(old.prefecture) != prefecture
    return not address_key(old.display()).startswith(prefecture)


def related_deadlines(
    filing: Filing, settings: WardSettings = DEFAULT_SETTINGS
) -> list[RelatedDeadline]:
    """Deadlines of the answered related procedures of a 転入 or 転出 (domain-procedures.md §7).

    国保, 介護 and 後期高齢 (from another prefecture): within 14 days of the 異動日;
    児童手当: 15 days from the day after the 転出予定日 ("15日特例"; the 異動日 without one) —
    also told on a 転出 within Japan (claimed at the new municipality).
    """
    moved = filing.moved_on
    if filing.kind is FilingKind.MOVE_OUT and not filing.new_address.country.strip():
        # 転出 within Japan: 児童手当 is claimed anew at the new municipality, 15 days from the
        # day after the 転出予定日 (``moved_on`` of a 転出) [MITSUKE][KATSUSHIKA-JIDO]
        if filing.answer(RelatedProcedure.CHILD_ALLOWANCE) not in _CONCERNED:
            return []
        days = settings.child_allowance_days
        return [RelatedDeadline(RelatedProcedure.CHILD_ALLOWANCE, moved + timedelta(days), days)]
    if filing.kind not in (FilingKind.MOVE_IN, FilingKind.MOVE_IN_FROM_ABROAD):
        return []
    rules: list[tuple[RelatedProcedure, date, int]] = [
        (RelatedProcedure.NATIONAL_HEALTH_INSURANCE, moved, settings.health_insurance_days),
        (RelatedProcedure.LONG_TERM_CARE, moved, settings.long_term_care_days),
    ]
    if _from_other_prefecture(filing):
        rules.append((RelatedProcedure.LATE_ELDERLY_MEDICAL, moved, settings.late_elderly_days))
    left = filing.planned_move_out_on or moved
    rules.append((RelatedProcedure.CHILD_ALLOWANCE, left, settings.child_allowance_days))
    out = [
        RelatedDeadline(procedure, start + timedelta(days=days), days)
        for procedure, start, days in rules
        if filing.answer(procedure) in _CONCERNED
    ]
    order = list(RelatedProcedure)
    return sorted(out, key=lambda d: order.index(d.procedure))
