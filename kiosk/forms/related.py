"""Which related procedures (関連手続き) the interview should ask about, from the household."""

from __future__ import annotations

from datetime import date

from kiosk.forms.decisions import school_grade
from kiosk.forms.model import Filing, FilingKind, RelatedProcedure
from kiosk.forms.settings import DEFAULT_SETTINGS

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
