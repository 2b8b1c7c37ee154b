"""A date on a keypad: 年・月・日 fields, shown in 和暦 and 西暦 with the weekday; confirmed."""

from __future__ import annotations

from datetime import date
from functools import partial

from kiosk.flows.date_entry import DateField, DatePurpose
from kiosk.forms.render.dates import wareki
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

QUESTIONS = {
    DatePurpose.MOVED_ON: N_("On which day did you start living at the new address?"),
    DatePurpose.MOVE_OUT_PLANNED: N_("On which day will you move out?"),
    DatePurpose.PLANNED_MOVE_OUT_ON: N_(
        "Which moving-out date did you give your previous city? (転出予定日)"
    ),
    DatePurpose.PERIOD_ENDS_ON: N_("When does your period of stay end? (在留期間満了日)"),
}
FIELD_LABELS = {DateField.YEAR: N_("Year"), DateField.MONTH: N_("Month"), DateField.DAY: N_("Day")}
WEEKDAYS = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday"),
)  # fmt: skip
WEEKDAYS_JA = "月火水木金土日"
#: the quick choices (days before today, label): for a day just past, for a day just ahead
QUICK_PAST = ((0, N_("Today")), (1, N_("Yesterday")))
QUICK_AHEAD = ((0, N_("Today")), (-1, N_("Tomorrow")))
QUICK = {
    DatePurpose.MOVED_ON: QUICK_PAST,
    DatePurpose.PLANNED_MOVE_OUT_ON: QUICK_PAST,
    DatePurpose.MOVE_OUT_PLANNED: QUICK_AHEAD,
}


def date_line(d: date) -> str:
    """``令和8年12月6日（日）`` — the 和暦 with the Japanese weekday."""
    return f"{wareki(d)}（{WEEKDAYS_JA[d.weekday()]}）"


class DateEntryScreen(KioskScreen):
    """Fields, the date in words, quick choices, keypad; "this date is right" confirms."""

    def build_body(self) -> None:
        """Everything from the date request."""
        dates = self.flow.dates
        request = dates.request
        if request is None:
            return
        self.hint(self._(QUESTIONS[request.purpose]))
        row = self.row()
        for which in DateField:
            self.button(
                f"date_field_{which.value}",
                f"{request.text(which) or '--'} {self._(FIELD_LABELS[which])}",
                partial(dates.select, which),
                role="primary" if request.field is which else "chip",
                parent=row,
            )
        value = request.value
        if value is None:
            self.text(self._("Not a date yet. Please check the year, month and day."))
        else:
            self.text(date_line(value), data=True)
            today_mark = f" — {self._('Today')}" if value == dates.today else ""
            self.text(f"{value.isoformat()} ({self._(WEEKDAYS[value.weekday()])}){today_mark}")
        choices = QUICK.get(request.purpose, ())
        if choices:
            quick = self.row()
            for days, label in choices:
                self.button(
                    f"date_quick_{days}", self._(label), partial(dates.quick, days),
                    role="chip", parent=quick,
                )  # fmt: skip
        pad = self.grid(3)
        small = bool(self.app.large_text)
        for key in "123456789":
            self.button(f"date_{key}", key, partial(dates.press, key), parent=pad, compact=small)
        self.button("date_back_key", "←", dates.back, role="secondary", parent=pad, compact=small)
        self.button("date_0", "0", partial(dates.press, "0"), parent=pad, compact=small)
        self.button("date_cancel", self._("Back"), dates.cancel, role="secondary", parent=pad,
                    compact=small)  # fmt: skip
        if value is not None:
            self.footer_button("date_ok", self._("This date is right"), dates.done)


SCREEN = DateEntryScreen
