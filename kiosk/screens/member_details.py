"""Birth date and sex of a member entered by hand."""

from __future__ import annotations

from datetime import date
from functools import partial

from kiosk.forms.model import Sex
from kiosk.screens.base import KioskScreen
from kiosk.screens.format import birth_text

DEFAULT_BIRTH = date(1990, 1, 1)


def _shift(d: date, years: int = 0, months: int = 0, days: int = 0) -> date:
    month_index = d.month - 1 + months
    year = d.year + years + month_index // 12
    month = month_index % 12 + 1
    day = min(d.day, 28) if (years or months) else d.day
    base = date(year, month, day)
    return base.fromordinal(base.toordinal() + days)


class MemberDetailsScreen(KioskScreen):
    """Steppers for the date and two sex buttons."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.birth = DEFAULT_BIRTH
        self.sex: Sex | None = None

    def on_pre_enter(self, *_args: object) -> None:
        """Start from the member's known values."""
        edit = self.flow.household.edit
        index = edit.index if edit is not None else None
        members = self.flow.visit.members
        member = members[index] if index is not None and index < len(members) else None
        self.birth = (member.birth_date if member else None) or DEFAULT_BIRTH
        self.sex = member.sex if member else None

    def build_body(self) -> None:
        """Date steppers, sex, OK."""
        edit = self.flow.household.edit
        index = edit.index if edit is not None else None
        members = self.flow.visit.members
        if index is None or index >= len(members):
            return
        self.text(members[index].name, data=True)
        self.text(self._("Date of birth"))
        self.text(birth_text(self.birth), data=True)
        for unit, label, steps in (
            ("year", self._("Year"), ((-10, "-10"), (-1, "-1"), (1, "+1"), (10, "+10"))),
            ("month", self._("Month"), ((-1, "-1"), (1, "+1"))),
            ("day", self._("Day"), ((-1, "-1"), (1, "+1"))),
        ):
            row = self.row()
            self.text(label, parent=row)
            for amount, text in steps:
                self.button(
                    f"bd_{unit}_{text}",
                    text,
                    partial(self._step, unit, amount),
                    role="secondary",
                    parent=row,
                )
        self.text(self._("Sex"))
        row = self.row()
        for sex, text in ((Sex.MALE, self._("Male")), (Sex.FEMALE, self._("Female"))):
            self.button(
                f"sex_{sex.value}",
                text,
                partial(self._sex, sex),
                role="primary" if self.sex is sex else "chip",
                parent=row,
            )
        self.footer_button("details_ok", self._("OK"), self._ok)

    def _step(self, unit: str, amount: int) -> None:
        if unit == "year":
            self.birth = _shift(self.birth, years=amount)
        elif unit == "month":
            self.birth = _shift(self.birth, months=amount)
        else:
            self.birth = _shift(self.birth, days=amount)
        self.refresh()

    def _sex(self, sex: Sex) -> None:
        self.sex = sex
        self.refresh()

    def _ok(self) -> None:
        edit = self.flow.household.edit
        if edit is None or self.sex is None:
            return
        self.flow.household.set_member_details(edit.index, self.birth, self.sex)


SCREEN = MemberDetailsScreen
