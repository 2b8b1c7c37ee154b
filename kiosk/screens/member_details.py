"""Birth date and sex of a member entered by hand (the date on the date pad, never steppers)."""

from __future__ import annotations

from functools import partial

from kiosk.flows.visit import PersonDraft
from kiosk.forms.model import Sex
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.date_entry import date_line
from kiosk.screens.relationship_text import relationship_text

ENTER_BIRTH = N_("Enter the date of birth")


class MemberDetailsScreen(KioskScreen):
    """The date of birth (a button to the date pad, shown in 和暦 and 西暦) and two sex buttons."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.sex: Sex | None = None
        self._for: int | None = None  # the member the sex choice belongs to

    def on_pre_enter(self, *_args: object) -> None:
        """Start from the member's known sex (kept over a trip to the date pad)."""
        edit = self.flow.household.edit
        member = self._member()
        index = edit.index if edit is not None else None
        if member is not None and (member.sex is not None or index != self._for):
            self.sex = member.sex
        self._for = index

    def _member(self) -> PersonDraft | None:
        edit = self.flow.household.edit
        members = self.flow.visit.members
        if edit is None or edit.index >= len(members):
            return None
        return members[edit.index]

    def build_body(self) -> None:
        """Name, 続柄, date of birth, sex, OK."""
        member = self._member()
        if member is None:
            return
        self.text(member.name, data=True)
        if member.relationship is not None:  # 続柄 with its gloss (issue 12)
            self.text(relationship_text(member.relationship, self._))
        self.text(self._("Date of birth"))
        born = member.birth_date
        self.button(
            "bd_date",
            date_line(born, self._) if born is not None else self._(ENTER_BIRTH),
            self.flow.household.ask_birth,
            role="chip" if born is not None else "primary",
            tall=born is not None,
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
        if born is not None and self.sex is not None:
            self.footer_button("details_ok", self._("OK"), self._ok)

    def _sex(self, sex: Sex) -> None:
        self.sex = sex
        self.refresh()

    def _ok(self) -> None:
        edit = self.flow.household.edit
        member = self._member()
        if edit is None or member is None or self.sex is None or member.birth_date is None:
            return
        self.flow.household.set_member_details(edit.index, member.birth_date, self.sex)


SCREEN = MemberDetailsScreen
