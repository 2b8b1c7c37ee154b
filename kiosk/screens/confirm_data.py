"""Confirm the data read from the card."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen
from kiosk.screens.format import birth_text, sex_text


class ConfirmDataScreen(KioskScreen):
    """Name, birth date, sex and address as read."""

    def build_body(self) -> None:
        """The four items and yes/no."""
        visit = self.flow.visit
        if not visit.members:
            return
        person = visit.members[0]
        self.text(self._("Name"))
        self.text(person.name, data=True)
        self.text(self._("Date of birth"))
        self.text(birth_text(person.birth_date), data=True)
        self.text(self._("Sex"))
        self.text(sex_text(person.sex, self._), data=True)
        self.text(self._("Current address"))
        self.text(person.card_address, data=True)
        self.footer_button(
            "data_wrong",
            self._("No"),
            lambda: self.flow.card_steps.confirm_data(False),
            role="secondary",
        )
        self.footer_button(
            "data_ok", self._("Yes, correct"), lambda: self.flow.card_steps.confirm_data(True)
        )


SCREEN = ConfirmDataScreen
