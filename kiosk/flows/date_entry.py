"""The date-entry part: a date typed on a keypad (年・月・日), shown in 和暦 and 西暦 with weekday.

One request at a time (like the text entry): who asks gives the purpose, a starting value (never
taken silently: the resident confirms the date shown) and ``on_done``/``on_cancel``. The typed
digits live here, so a language switch or a re-render keeps them. The year is typed in 西暦 or in
an era (令和・平成・昭和・大正: 昭和23 is 1948); a field moves on as soon as no further digit can
follow (month 2-9, day 4-9, an era year past the era's length), so 1948-05-12 is 7 keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step


class DatePurpose(StrEnum):
    """What date is asked (the screen's question)."""

    MOVED_ON = "moved_on"
    MOVE_OUT_PLANNED = "move_out_planned"  # 転出: the planned moving date
    PLANNED_MOVE_OUT_ON = "planned_move_out_on"  # 転入: the 転出予定日 given to the old city
    PERIOD_ENDS_ON = "period_ends_on"
    BIRTH = "birth"  # a member typed by hand: 生年月日
    POWER_OF_ATTORNEY = "power_of_attorney"  # 任意代理人: the date on the 委任状


class DateField(StrEnum):
    """The part of the date the keypad types into."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


#: digits per field (the year in 西暦; an era year has ``ERA_DIGITS``)
FIELD_DIGITS = {DateField.YEAR: 4, DateField.MONTH: 2, DateField.DAY: 2}
ERA_DIGITS = 2
_NEXT = {DateField.YEAR: DateField.MONTH, DateField.MONTH: DateField.DAY, DateField.DAY: None}
#: the highest first digit of a month / day that can still take a second digit
_MAX_LEAD = {DateField.MONTH: 1, DateField.DAY: 3}


class Era(StrEnum):
    """The eras a year can be typed in (the value is how it is written)."""

    REIWA = "令和"
    HEISEI = "平成"
    SHOWA = "昭和"
    TAISHO = "大正"


#: first day of each era; an era ends the day before the next one starts
ERA_START = {
    Era.TAISHO: date(1912, 7, 30),
    Era.SHOWA: date(1926, 12, 25),
    Era.HEISEI: date(1989, 1, 8),
    Era.REIWA: date(2019, 5, 1),
}
_ERA_END = {
    Era.TAISHO: ERA_START[Era.SHOWA],
    Era.SHOWA: ERA_START[Era.HEISEI],
    Era.HEISEI: ERA_START[Era.REIWA],
}


def era_year_span(era: Era, today: date) -> int:
    """How many years ``era`` counts (令和: up to this year)."""
    end = _ERA_END.get(era)
    last = end.year if end is not None else today.year
    return last - ERA_START[era].year + 1


def era_of(d: date) -> Era | None:
    """The era ``d`` falls in (None before 大正)."""
    for era in (Era.REIWA, Era.HEISEI, Era.SHOWA, Era.TAISHO):
        if d >= ERA_START[era]:
            return era
    return None


@dataclass(slots=True)
class DateRequest:
    """One date being asked."""

    purpose: DatePurpose
    on_done: Callable[[date], None]
    on_cancel: Callable[[], None]
    year: str = ""
    month: str = ""
    day: str = ""
    field: DateField = DateField.DAY
    #: a field was typed into since it was selected (the first key replaces the old digits)
    typing: bool = False
    #: the year is typed in this era (None: 西暦)
    era: Era | None = None

    def text(self, which: DateField) -> str:
        """The digits of one field."""
        return {DateField.YEAR: self.year, DateField.MONTH: self.month, DateField.DAY: self.day}[
            which
        ]

    def set_text(self, which: DateField, value: str) -> None:
        """Replace the digits of one field."""
        if which is DateField.YEAR:
            self.year = value
        elif which is DateField.MONTH:
            self.month = value
        else:
            self.day = value

    def limit(self, which: DateField) -> int:
        """Digits the field takes (an era year: 2)."""
        if which is DateField.YEAR and self.era is not None:
            return ERA_DIGITS
        return FIELD_DIGITS[which]

    @property
    def western_year(self) -> int | None:
        """The year in 西暦 (from the era year), or None while incomplete."""
        if not self.year.isdigit():
            return None
        if self.era is None:
            return int(self.year) if len(self.year) == FIELD_DIGITS[DateField.YEAR] else None
        number = int(self.year)
        return ERA_START[self.era].year + number - 1 if number >= 1 else None

    @property
    def value(self) -> date | None:
        """The date typed, or None while it is not a real date (or not in the era chosen)."""
        year = self.western_year
        if year is None or not self.month or not self.day:
            return None
        try:
            typed = date(year, int(self.month), int(self.day))
        except ValueError:
            return None
        if self.era is not None:
            end = _ERA_END.get(self.era)
            if typed < ERA_START[self.era] or (end is not None and typed >= end):
                return None  # 昭和64年2月1日 does not exist
        return typed

    def show(self, d: date) -> None:
        """Fill the three fields from ``d`` (the year in the era chosen, when it fits)."""
        if self.era is not None and era_of(d) is not self.era:
            self.era = era_of(d)
        year = d.year - ERA_START[self.era].year + 1 if self.era is not None else d.year
        self.year, self.month, self.day = str(year), str(d.month), str(d.day)


class DateEntry:
    """Shows ``Step.DATE_ENTRY`` for one ``DateRequest``; the keypad calls ``press``."""

    def __init__(self, nav: Navigator, today: Callable[[], date]) -> None:
        self._nav = nav
        self._today = today
        self.request: DateRequest | None = None

    @property
    def today(self) -> date:
        """Today (the quick choices and the screen's "today" mark)."""
        return self._today()

    def clear(self) -> None:
        """Forget the request (the visit ended)."""
        self.request = None

    def ask(
        self,
        purpose: DatePurpose,
        value: date | None,
        on_done: Callable[[date], None],
        on_cancel: Callable[[], None],
    ) -> None:
        """Show the keypad with ``value`` (or empty fields) for the resident to confirm."""
        request = DateRequest(purpose, on_done, on_cancel)
        if value is not None:
            request.show(value)
        elif purpose is DatePurpose.BIRTH:
            request.field = DateField.YEAR  # no year assumed: typed from the first key
        else:
            request.year = str(self._today().year)
            request.field = DateField.MONTH
        self.request = request
        self._nav.go(Step.DATE_ENTRY)

    def select(self, which: DateField) -> None:
        """Type into ``which`` next (its old digits are replaced by the first key)."""
        if self.request is not None:
            self.request.field = which
            self.request.typing = False
            self._nav.refresh()

    def press(self, digit: str) -> None:
        """A keypad digit into the selected field; a full field moves on to the next."""
        request = self.request
        if request is None or not digit.isdigit() or len(digit) != 1:
            return
        which = request.field
        current = request.text(which) if request.typing else ""
        limit = request.limit(which)
        current = (current + digit)[-limit:]
        request.set_text(which, current)
        request.typing = True
        following = _NEXT[which]
        if following is not None and self._complete(request, which, current):
            request.field, request.typing = following, False
        self._nav.refresh()

    def _complete(self, request: DateRequest, which: DateField, current: str) -> bool:
        """No further digit can follow: move on (month 2-9, an era year past the era)."""
        if len(current) >= request.limit(which):
            return True
        if len(current) != 1:
            return False
        if which is DateField.YEAR:
            if request.era is None:
                return False
            return int(current) * 10 > era_year_span(request.era, self._today())
        return int(current) > _MAX_LEAD[which]

    def set_era(self, era: Era | None) -> None:
        """Type the year in ``era`` (None: 西暦); a date already typed is shown in it."""
        request = self.request
        if request is None:
            return
        typed = request.value
        request.era = era
        if typed is not None and (era is None or era_of(typed) is era):
            request.show(typed)
        else:
            request.year = ""
        request.field, request.typing = DateField.YEAR, False
        self._nav.refresh()

    def back(self) -> None:
        """Delete the last digit of the selected field."""
        request = self.request
        if request is not None:
            which = request.field
            request.set_text(which, request.text(which)[:-1])
            request.typing = True
            self._nav.refresh()

    def quick(self, days_ago: int) -> None:
        """Today / yesterday: fill the fields (still to be confirmed)."""
        if self.request is not None:
            self.request.show(self._today() - timedelta(days=days_ago))
            self.request.field, self.request.typing = DateField.DAY, False
            self._nav.refresh()

    def done(self) -> None:
        """The resident confirmed the date shown (only a real date)."""
        request = self.request
        if request is None or request.value is None:
            return
        self.request = None
        request.on_done(request.value)

    def cancel(self) -> None:
        """Back without a change."""
        request = self.request
        if request is not None:
            self.request = None
            request.on_cancel()
