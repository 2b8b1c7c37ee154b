"""Decisions the rules share: the 特例転入 window, card tasks, school years, address comparison.

Pure functions of the filing, ``today`` and the ward settings — the kiosk, the check CLI and the
intake compute the same answers.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kiosk.forms.model import CardTask, Filing, FilingKind, Member, MoveOutRoute
from kiosk.forms.settings import DEFAULT_SETTINGS, WardSettings

#: 小学校1年 … 中学校3年
SCHOOL_GRADES = range(1, 10)
#: the school year starts on 4月1日; children born on 4月1日 join the earlier year (4月2日 rule)
SCHOOL_YEAR_START = (4, 1)
#: age on 4月1日 of the school year of a 小学校1年生
FIRST_GRADE_AGE = 6


class SpecialStatus(StrEnum):
    """特例転入 (card-based move-in) status."""

    ELIGIBLE = "eligible"
    EXPIRED = "expired"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class SpecialMoveIn:
    """The 特例転入 decision: status and the last day it is possible (None if not applicable)."""

    status: SpecialStatus
    last_day: date | None = None

    def as_dict(self) -> dict[str, str | None]:
        """``{"status", "last_day"}`` as the check CLI prints it."""
        return {
            "status": self.status.value,
            "last_day": None if self.last_day is None else self.last_day.isoformat(),
        }


def special_last_day(filing: Filing, settings: WardSettings = DEFAULT_SETTINGS) -> date:
    """min(転出予定日 + 30, 住み始めた日 + 14); without a planned date only the second limit."""
    by_moving = filing.moved_on + timedelta(days=settings.special_after_moving_days)
    planned = filing.planned_move_out_on
    if planned is None:
        return by_moving
    return min(planned + timedelta(days=settings.special_after_planned_days), by_moving)


def special_move_in(
    filing: Filing, *, today: date, settings: WardSettings = DEFAULT_SETTINGS
) -> SpecialMoveIn:
    """特例転入 applies to 転入 after a card or online 転出; it expires after the last day."""
    route = filing.move_out_route
    if filing.kind is not FilingKind.MOVE_IN or route is None or not route.is_card_route:
        return SpecialMoveIn(SpecialStatus.NOT_APPLICABLE)
    last = special_last_day(filing, settings)
    status = SpecialStatus.ELIGIBLE if today <= last else SpecialStatus.EXPIRED
    return SpecialMoveIn(status, last)


def continued_use_deadline(filing: Filing, settings: WardSettings = DEFAULT_SETTINGS) -> date:
    """継続利用 deadline: 90 days from the 届出日 (or the earlier 異動日, per ward setting)."""
    start = filing.notified_on
    if settings.continued_use_from_moved_on:
        start = min(start, filing.moved_on)
    return start + timedelta(days=settings.continued_use_days)


def _card_survives(filing: Filing, today: date, settings: WardSettings) -> bool:
    """Whether the movers' cards still live after this 転入 (else they lapse: re-application)."""
    route = filing.move_out_route
    if route is MoveOutRoute.ABROAD or filing.kind is FilingKind.MOVE_IN_FROM_ABROAD:
        return False  # only after 国外継続利用, which the clerk checks
    if route is not None and route.is_card_route:
        return special_move_in(filing, today=today, settings=settings).status is (
            SpecialStatus.ELIGIBLE
        )
    # paper 転出証明書 (or not asked): 継続利用 is still possible within the same dates
    return today <= special_last_day(filing, settings)


def card_tasks_for(
    filing: Filing, member: Member, *, today: date, settings: WardSettings = DEFAULT_SETTINGS
) -> frozenset[CardTask]:
    """The counter's card work for one member (only members whose card was read).

    Every address change lapses the 署名用電子証明書 and needs the new address on the card
    (券面記載事項変更); a 転入 also needs 継続利用 (within 90 days) while the card survives.
    """
    if not member.from_chip or not filing.kind.moves_into_ward:
        return frozenset()
    if filing.kind is FilingKind.MOVE_WITHIN:
        return frozenset({CardTask.SURFACE_UPDATE, CardTask.SIGNATURE_CERTIFICATE})
    if not _card_survives(filing, today, settings):
        return frozenset()
    return frozenset(
        {CardTask.CONTINUED_USE, CardTask.SURFACE_UPDATE, CardTask.SIGNATURE_CERTIFICATE}
    )


def card_tasks(
    filing: Filing, *, today: date, settings: WardSettings = DEFAULT_SETTINGS
) -> list[frozenset[CardTask]]:
    """Card tasks per member, in member order."""
    return [card_tasks_for(filing, m, today=today, settings=settings) for m in filing.members]


def with_card_tasks(
    filing: Filing, *, today: date, settings: WardSettings = DEFAULT_SETTINGS
) -> Filing:
    """The filing with every member's ``card_tasks`` set by the rules (call before signing)."""
    tasks = card_tasks(filing, today=today, settings=settings)
    members = tuple(
        dataclasses.replace(m, card_tasks=t) for m, t in zip(filing.members, tasks, strict=True)
    )
    return dataclasses.replace(filing, members=members)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def online_move_out_window(
    planned: date, settings: WardSettings = DEFAULT_SETTINGS
) -> tuple[date, date]:
    """The days a マイナポータル 転出 can be sent: 転出予定日 − 30 … + 10 [SHIBUKAWA][KARATSU]."""
    return (
        planned - timedelta(days=settings.online_move_out_before_days),
        planned + timedelta(days=settings.online_move_out_after_days),
    )


def power_of_attorney_valid_until(
    dated: date, settings: WardSettings = DEFAULT_SETTINGS
) -> date | None:
    """The last 届出日 a 委任状 of that date is accepted on (None = no limit) [YOSHINOGAWA]."""
    months = settings.power_of_attorney_valid_months
    return add_months(dated, months) if months > 0 else None


def residence_grace_until(ends_on: date, settings: WardSettings = DEFAULT_SETTINGS) -> date:
    """The end of the 特例期間 after the 在留期間満了日 (extension applied for) [OTA-F]."""
    return add_months(ends_on, settings.residence_grace_months)


def age_on(born: date, on: date) -> int:
    """Age in whole years on a day."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def school_year_start(today: date) -> date:
    """4月1日 of the school year containing ``today``."""
    month, day = SCHOOL_YEAR_START
    year = today.year if (today.month, today.day) >= (month, day) else today.year - 1
    return date(year, month, day)


def school_grade(born: date, today: date) -> int | None:
    """1–6 小学校, 7–9 中学校 in the current school year, else None (4月2日 rule)."""
    grade = age_on(born, school_year_start(today)) - FIRST_GRADE_AGE + 1
    return grade if grade in SCHOOL_GRADES else None


#: the dashes an address may be written with, each read as "-" (one translate, not a replace each)
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―ー−－", "-"))
_IDEOGRAPHIC_SPACE = "\u3000"
#: distinct (prefecture, city) pairs whose keys are kept: the ward's own, from its settings
WARD_KEY_CACHE_SIZE = 64


def address_key(text: str) -> str:
    """An address for comparison: NFKC (full/half width alike), no spaces, unified dashes.

    The ideographic space (U+3000, the 方書 separator of ``Address.display``) is NFKC's own
    U+0020 already: replacing it first gives the same result, and the NFKC quick check then
    passes most addresses as they are instead of re-composing them (issue 14).
    """
    folded = unicodedata.normalize("NFKC", text.replace(_IDEOGRAPHIC_SPACE, " "))
    return "".join(folded.translate(_DASHES).split())


@functools.lru_cache(maxsize=WARD_KEY_CACHE_SIZE)
def _ward_keys(prefecture: str, city: str) -> tuple[str, str]:
    """(prefecture + city key, city key): the ward's settings, the same for every filing."""
    ward = address_key(city)
    return address_key(prefecture) + ward, ward


def in_ward(address_text: str, prefecture: str, city: str) -> bool:
    """True if a free-text address names this ward (with or without the prefecture)."""
    full, ward = _ward_keys(prefecture, city)
    if not ward:
        return False
    key = address_key(address_text)
    return key.startswith(full) or key.startswith(ward)
