"""The date-entry part: a date typed on a keypad (年・月・日), shown in 和暦 and 西暦 with weekday.

One request at a time (like the text entry): who asks gives the purpose, a starting value (never
taken silently: the resident confirms the date shown) and ``on_done``/``on_cancel``. The typed
digits live here, so a language switch or a re-render keeps them.
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


class DateField(StrEnum):
    """The part of the date the keypad types into."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


#: digits per field (the year is typed in 西暦)
FIELD_DIGITS = {DateField.YEAR: 4, DateField.MONTH: 2, DateField.DAY: 2}
_NEXT = {DateField.YEAR: DateField.MONTH, DateField.MONTH: DateField.DAY, DateField.DAY: None}


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

    @property
    def value(self) -> date | None:
        """The date typed, or None while it is not a real date."""
        if len(self.year) != FIELD_DIGITS[DateField.YEAR] or not self.month or not self.day:
            return None
        try:
            return date(int(self.year), int(self.month), int(self.day))
        except ValueError:
            return None

    def show(self, d: date) -> None:
        """Fill the three fields from ``d``."""
        self.year, self.month, self.day = str(d.year), str(d.month), str(d.day)


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
        limit = FIELD_DIGITS[which]
        current = (current + digit)[-limit:]
        request.set_text(which, current)
        request.typing = True
        following = _NEXT[which]
        if len(current) == limit and following is not None:
            request.field, request.typing = following, False
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
