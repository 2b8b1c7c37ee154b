"""Who moves: members (by card or by hand), the 世帯主, each 続柄; 一部 (joining a household)."""

from __future__ import annotations

from functools import partial

from kiosk.flows.steps import CardNotice
from kiosk.forms.model import HouseholdMode
from kiosk.screens.base import KioskScreen
from kiosk.screens.format import birth_text, sex_text
from kiosk.screens.place_card import NOTICES


class HouseholdScreen(KioskScreen):
    """The list of movers with their roles."""

    def build_body(self) -> None:
        """Members, add buttons, household mode, next."""
        household = self.flow.household
        visit = household.visit
        joining = visit.household_mode is HouseholdMode.JOIN
        self.hint(self._("Other people moving with you can place their card on the reader now."))
        if household.same_card:
            self.text(self._(NOTICES[CardNotice.SAME_CARD]))
        missing = set(household.missing())
        for i, member in enumerate(visit.members):
            self.text(f"{i + 1}. {member.name}", data=True)
            if member.from_chip:
                self.text(f"{birth_text(member.birth_date)}  {sex_text(member.sex, self._)}")
            row = self.row()
            if not joining:
                is_head = visit.head_index == i
                self.button(
                    f"mem_head_{i}",
                    self._("Head of household") if is_head else self._("Make head"),
                    partial(household.set_head, i),
                    role="primary" if is_head else "chip",
                    parent=row,
                )
            if joining or visit.head_index != i:
                rel = (
                    member.relationship.display
                    if member.relationship
                    else self._("Choose relationship")
                )
                self.button(
                    f"mem_rel_{i}",
                    rel,
                    partial(household.edit_relationship, i),
                    role="danger" if i in missing else "chip",
                    parent=row,
                )
            if i > 0:
                self.button(
                    f"mem_del_{i}",
                    self._("Remove"),
                    partial(household.remove_member, i),
                    role="secondary",
                    parent=row,
                )
        self.button(
            "add_card",
            self._("Add a person with their card"),
            household.add_member_by_card,
            role="chip",
        )
        self.button(
            "add_hand",
            self._("Add a person without a card"),
            household.add_member_by_hand,
            role="chip",
        )
        if household.offers_join:
            if joining:
                self.text(self._("You join the household of:"))
                self.text(visit.existing_head, data=True)
                self.button(
                    "join_off",
                    self._("We form our own household"),
                    lambda: household.set_head(0),
                    role="chip",
                )
            else:
                self.button(
                    "join",
                    self._("We join a household already living there"),
                    household.join_existing_household,
                    role="chip",
                )
        if missing:
            self.text(self._("Please choose the relationship for every person."))
        if visit.members and visit.members[0].from_chip:
            self.button(
                "data_check", self._("Check the data read from the card"), household.show_card_data,
                role="chip",
            )  # fmt: skip
        self.footer_button("household_next", self._("Next"), household.done)


SCREEN = HouseholdScreen
