"""転入: is this member a Japanese national? (decides 本籍 or the 30条45 items)."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen


class NationalityScreen(KioskScreen):
    """Two big answers for the member shown; the previous answer marked."""

    def build_body(self) -> None:
        """The member's name and the two answers."""
        newcomer = self.flow.newcomer
        member = newcomer.member
        if member is None:
            return
        self.hint(self._("The kiosk cannot read the nationality from the card."))
        self.text(member.name, data=True)
        japanese = member.japanese
        self.button(
            "nat_japanese",
            self._("Japanese nationality (日本国籍)"),
            lambda: newcomer.set_japanese(True),
            role="primary" if japanese is True else "chip",
            tall=True,
        )
        self.button(
            "nat_foreign",
            self._("Another nationality (foreign resident)"),
            lambda: newcomer.set_japanese(False),
            role="primary" if japanese is False else "chip",
            tall=True,
        )
        self.footer_button("nat_back", self._("Back"), newcomer.back, role="secondary")


SCREEN = NationalityScreen
