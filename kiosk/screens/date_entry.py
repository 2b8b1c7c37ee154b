"""A date on a keypad: 年・月・日 fields, shown in 和暦 and 西暦 with the weekday; confirmed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.flows.date_entry import ERA_START, DateField, DatePurpose, Era
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
    DatePurpose.POWER_OF_ATTORNEY: N_("On which day was the letter of proxy written? (委任状)"),
    DatePurpose.BIRTH: N_("Date of birth: type the year (西暦 or an era), month and day."),
}
WESTERN = N_("Western year (西暦)")
#: the Western-year button's width in era buttons
WESTERN_WIDTH = 2
#: the era buttons, newest first: (kiosk id, era)
ERAS = (("reiwa", Era.REIWA), ("heisei", Era.HEISEI), ("showa", Era.SHOWA), ("taisho", Era.TAISHO))
#: the caret in the field being typed into (the typed text is always in a visible box)
CARET = "▏"
COLUMN_GAP_DP = 24
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
    DatePurpose.POWER_OF_ATTORNEY: QUICK_PAST,
}


def date_line(d: date, tr: Callable[[str], str] | None = None) -> str:
    """``令和8年12月6日（日）`` — the 和暦 with the Japanese weekday; with ``tr`` also the 西暦
    with the weekday in the visit's language (``… / 2026-12-06 (Sunday)``)."""
    line = f"{wareki(d)}（{WEEKDAYS_JA[d.weekday()]}）"
    if tr is None:
        return line
    return f"{line} / {d.isoformat()} ({tr(WEEKDAYS[d.weekday()])})"


class DateEntryScreen(KioskScreen):
    """Fields, the date in words, quick choices, keypad; "this date is right" confirms."""

    def build_body(self) -> None:
        """Everything from the date request (landscape: the keypad beside the fields)."""
        dates = self.flow.dates
        request = dates.request
        if request is None:
            return
        if request.purpose is DatePurpose.BIRTH:
            self.title(self._("Date of birth"))
        self.hint(self._(QUESTIONS[request.purpose]))
        left, right = self._columns()
        eras = self.row(parent=left)
        # "Western year" is a phrase where the eras are two characters: it gets twice their
        # width, so a line break falls between its words, not inside one
        self.button(
            "era_western", self._(WESTERN), partial(dates.set_era, None),
            role="primary" if request.era is None else "chip", parent=eras,
            size_hint_x=WESTERN_WIDTH,
        )  # fmt: skip
        for key, era in ERAS:
            if era is Era.REIWA and dates.today < ERA_START[era]:
                continue
            self.button(
                f"era_{key}", era.value, partial(dates.set_era, era),
                role="primary" if request.era is era else "chip", parent=eras,
            )  # fmt: skip
        row = self.row(parent=left)
        for which in DateField:
            typed = request.text(which) or ("" if request.field is which else "--")
            caret = CARET if request.field is which else ""
            era_name = request.era.value if which is DateField.YEAR and request.era else ""
            self.button(
                f"date_field_{which.value}",
                f"{era_name}{typed}{caret} {self._(FIELD_LABELS[which])}",
                partial(dates.select, which),
                role="primary" if request.field is which else "chip",
                parent=row,
            )
        value = request.value
        if value is None:
            self.text(self._("Not a date yet. Please check the year, month and day."), parent=left)
        else:
            # 和暦 and 西暦, each with its weekday, on one line
            today_mark = f" — {self._('Today')}" if value == dates.today else ""
            # UI text (not the data font): the weekday is in the visit's script
            self.text(date_line(value, self._) + today_mark, parent=left)
        choices = QUICK.get(request.purpose, ())
        if choices:
            quick = self.row(parent=left)
            for days, label in choices:
                self.button(
                    f"date_quick_{days}", self._(label), partial(dates.quick, days),
                    role="chip", parent=quick,
                )  # fmt: skip
        pad = self.grid(3, parent=right)
        small = bool(self.app.large_text)
        for key in "123456789":
            self.button(f"date_{key}", key, partial(dates.press, key), parent=pad, compact=small)
        self.button("date_back_key", "←", dates.back, role="secondary", parent=pad, compact=small)
        self.button("date_0", "0", partial(dates.press, "0"), parent=pad, compact=small)
        self.button("date_cancel", self._("Back"), dates.cancel, role="secondary", parent=pad,
                    compact=small)  # fmt: skip
        if value is not None:
            self.footer_button("date_ok", self._("This date is right"), dates.done)

    def _columns(self) -> tuple[Widget, Widget]:
        """Landscape: two columns (fields | keypad); upright: both are the body."""
        body = self.ids.body
        if self.app.portrait:
            return body, body
        cols = BoxLayout(spacing=dp(COLUMN_GAP_DP), size_hint_y=None)
        left, right = (
            BoxLayout(orientation="vertical", spacing=dp(12), size_hint_y=None, pos_hint={"top": 1})
            for _ in range(2)
        )
        for column in (left, right):
            column.bind(minimum_height=column.setter("height"))
            column.bind(height=lambda *_a: setattr(cols, "height", max(left.height, right.height)))
            cols.add_widget(column)
        body.add_widget(cols)
        return left, right


SCREEN = DateEntryScreen
