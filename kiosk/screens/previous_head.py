"""世帯主変更 / 世帯合併: who was the head of household until now (one of the members listed)."""

from __future__ import annotations

from functools import partial

from kiosk.screens.base import KioskScreen


class PreviousHeadScreen(KioskScreen):
    """The members as buttons, and "not listed" for the keyboard."""

    def build_body(self) -> None:
        """One button per member."""
        changes = self.flow.household.changes
        for i, member in enumerate(self.flow.visit.members):
            self.button(
                f"prev_head_{i}", member.name, partial(changes.choose_member, i),
                role="primary" if changes.draft.member == i else "secondary",
            )  # fmt: skip
        self.button(
            "prev_head_other",
            self._("Someone not listed here (type the name)"),
            changes.type_previous_head,
            role="secondary",
        )
        household = self.flow.household
        self.footer_button("prev_head_back", self._("Back"), household.show, role="secondary")


SCREEN = PreviousHeadScreen
