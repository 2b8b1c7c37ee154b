"""Who moves: members (by card or by hand), the 世帯主, each 続柄; 一部 (joining a household)."""

from __future__ import annotations

from functools import partial

from kivy.clock import Clock
from kivy.uix.widget import Widget

from kiosk.flows.procedures.base import ORIGIN_KINDS
from kiosk.flows.steps import CardNotice
from kiosk.forms.model import FilingKind, HouseholdMode
from kiosk.forms.relationship import Link, build_chain
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.filer import STANDING_LABELS
from kiosk.screens.format import birth_text, sex_text
from kiosk.screens.place_card import NOTICES
from kiosk.screens.relationship import relationship_label
from kiosk.screens.relationship_text import relationship_button

#: the common 続柄, one touch each on the member's row (the rest on the 続柄 screen)
QUICK = (
    ("wife", Link.WIFE, N_("wife")),
    ("husband", Link.HUSBAND, N_("husband")),
    ("child", Link.CHILD, N_("child")),
    ("father", Link.FATHER, N_("father")),
    ("mother", Link.MOTHER, N_("mother")),
)
#: what the resident lists for each 世帯変更 kind
KIND_HINTS = {
    FilingKind.HOUSEHOLD_SPLIT: N_(
        "List the people who leave the household to form a new one, and choose its head."
    ),
    FilingKind.HOUSEHOLD_MERGE: N_("List the people who join the other household."),
    FilingKind.HEAD_CHANGE: N_(
        "List everyone in the household and choose the new head. Every relationship is seen "
        "from the new head."
    ),
    FilingKind.HOUSEHOLD_RESTRUCTURE: N_("List everyone in the household."),
}


class HouseholdScreen(KioskScreen):
    """The list of movers with their roles."""

    def build_body(self) -> None:
        """Members, add buttons, household mode, next."""
        household = self.flow.household
        visit = household.visit
        joining = visit.household_mode is HouseholdMode.JOIN
        kind_hint = KIND_HINTS.get(visit.kind) if visit.kind else None
        if kind_hint:
            self.title(self._("Whose household changes?"))
        self.hint(
            self._(kind_hint)
            if kind_hint
            else self._("Other people moving with you can place their card on the reader now.")
        )
        if household.same_card:
            self.text(self._(NOTICES[CardNotice.SAME_CARD]))
        missing = set(household.missing())
        first_missing: Widget | None = None
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
                grid = self._relationship_buttons(i)
                if first_missing is None and i in missing:
                    first_missing = grid
            if i > 0:
                self.button(
                    f"mem_del_{i}",
                    self._("Remove"),
                    partial(household.remove_member, i),
                    role="secondary",
                    parent=row,
                )
        if household.asks_origin and visit.kind in ORIGIN_KINDS:
            self._origin_row()
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
            if joining and visit.kind is FilingKind.HOUSEHOLD_MERGE:
                # 世帯合併 always joins: the declared 世帯主 can be corrected, not dropped
                self.text(self._("You join the household of:"))
                self.button(
                    "join", visit.existing_head, household.join_existing_household, role="chip"
                )
            elif joining:
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
        elif len(visit.members) > 1 and visit.members[0].from_chip:
            self.text(
                self._("Everyone listed? Put your own card back on the reader, or touch Next.")
            )
        self._filer_row()
        if visit.members and visit.members[0].from_chip:
            self.button(
                "data_check", self._("Check the data read from the card"), household.show_card_data,
                role="chip",
            )  # fmt: skip
        self.footer_button("household_next", self._("Next"), household.done)
        if first_missing is not None and len(visit.members) > 1:
            # the member whose 続柄 is still missing (often the card just read) comes into view
            target = first_missing
            Clock.schedule_once(lambda _dt: self.ids.scroll.scroll_to(target, animate=False))

    def _relationship_buttons(self, i: int) -> Widget:
        """The common 続柄 as direct buttons, "other" opens the 続柄 screen (none pre-selected)."""
        household = self.flow.household
        current = household.visit.members[i].relationship
        wide = not (self.app.portrait or self.app.large_text)
        grid = self.grid(len(QUICK) + 1 if wide else 3)
        quick = False
        for key, link, gloss in QUICK:
            rel = build_chain([link])
            chosen = current == rel
            quick = quick or chosen
            self.button(
                f"mem_rel_{i}_{key}",
                relationship_label(rel.display, self._(gloss)),
                partial(household.pick_relationship, i, rel),
                role="primary" if chosen else "secondary",
                parent=grid,
                tall=True,
            )
        other = current is not None and not quick
        self.button(
            f"mem_rel_{i}",
            relationship_button(current, self._) if other and current else self._("Other…"),
            partial(household.edit_relationship, i),
            role="primary" if other else "secondary",
            parent=grid,
            tall=True,
        )
        return grid

    def _filer_row(self) -> None:
        """Who files: the card holder as 本人 unless changed (one touch opens the question)."""
        household = self.flow.household
        filer = household.filer
        standing = filer.label_standing()
        label = self._(STANDING_LABELS[standing])
        self.text(self._("Filed by: {name} ({standing})").format(
            name=filer.display_name(), standing=label
        ))  # fmt: skip
        default = filer.draft.member_index == 0
        text = self._("Someone else files") if default else self._("Change who files")
        self.button("filer_change", text, household.open_filer, role="chip")

    def _origin_row(self) -> None:
        """一部: does anyone of the household stay at the old address (default: nobody)."""
        household = self.flow.household
        origin = household.origin
        if origin.partial:
            text = self._("{count} people of your household stay at the old address.").format(
                count=origin.draft.staying
            )
        else:
            text = self._("Everyone in your household moves.")
        self.text(text)
        self.button(
            "origin_change",
            self._("Change who stays") if origin.partial else self._("Some of the household stay"),
            household.open_origin,
            role="danger" if not origin.complete else "chip",
        )


SCREEN = HouseholdScreen
