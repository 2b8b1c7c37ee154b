"""続柄 by large buttons (common ones with plain-language glosses) and the chain builder."""

from __future__ import annotations

from functools import partial

from kiosk.forms.errors import RelationshipError
from kiosk.forms.relationship import (
    COHABITANT,
    OTHER_RELATIVE,
    Link,
    Relationship,
    build_chain,
)
from kiosk.i18n.catalog import N_
from kiosk.i18n.ruby import plain_text
from kiosk.screens.base import KioskScreen

#: (id, chain, English gloss used as msgid)
SHORTCUTS: tuple[tuple[str, tuple[Link, ...], str], ...] = (
    ("wife", (Link.WIFE,), N_("wife")),
    ("husband", (Link.HUSBAND,), N_("husband")),
    ("child", (Link.CHILD,), N_("child")),
    ("father", (Link.FATHER,), N_("father")),
    ("mother", (Link.MOTHER,), N_("mother")),
    ("child_wife", (Link.CHILD, Link.WIFE), N_("daughter-in-law")),
    ("child_husband", (Link.CHILD, Link.HUSBAND), N_("son-in-law")),
    ("grandchild", (Link.CHILD, Link.CHILD), N_("grandchild")),
    ("wife_father", (Link.WIFE, Link.FATHER), N_("wife's father")),
    ("wife_mother", (Link.WIFE, Link.MOTHER), N_("wife's mother")),
    ("husband_father", (Link.HUSBAND, Link.FATHER), N_("husband's father")),
    ("husband_mother", (Link.HUSBAND, Link.MOTHER), N_("husband's mother")),
    ("elder_brother", (Link.ELDER_BROTHER,), N_("older brother")),
    ("elder_sister", (Link.ELDER_SISTER,), N_("older sister")),
    ("younger_brother", (Link.YOUNGER_BROTHER,), N_("younger brother")),
    ("younger_sister", (Link.YOUNGER_SISTER,), N_("younger sister")),
    ("wife_unreg", (Link.WIFE_UNREGISTERED,), N_("partner, not married (wife)")),
    ("husband_unreg", (Link.HUSBAND_UNREGISTERED,), N_("partner, not married (husband)")),
)
SPECIALS = (
    ("cohabitant", COHABITANT, N_("lives with us, not a relative")),
    ("other_relative", OTHER_RELATIVE, N_("other relative")),
)
LINK_IDS = {
    Link.HUSBAND: "husband", Link.WIFE: "wife", Link.CHILD: "child", Link.FATHER: "father",
    Link.MOTHER: "mother", Link.ELDER_BROTHER: "elder_brother", Link.ELDER_SISTER: "elder_sister",
    Link.YOUNGER_BROTHER: "younger_brother", Link.YOUNGER_SISTER: "younger_sister",
    Link.HUSBAND_UNREGISTERED: "husband_unreg", Link.WIFE_UNREGISTERED: "wife_unreg",
}  # fmt: skip


def relationship_label(display: str, gloss: str) -> str:
    """``妻`` + gloss on a second line, unless the gloss says the same (furigana aside)."""
    same = plain_text(gloss).replace(" ", "").replace("\u3000", "") == display
    return gloss if same else f"{display}\n{gloss}"


class RelationshipScreen(KioskScreen):
    """Pick one, or build a chain such as 妻の父."""

    def build_body(self) -> None:
        """Shortcuts, specials, chain builder."""
        flow = self.flow
        household = flow.household
        edit = household.edit
        members = flow.visit.members
        if edit is None or edit.index >= len(members):
            return
        index = edit.index
        head = (
            flow.visit.existing_head
            if flow.visit.head_index is None
            else members[flow.visit.head_index].name
        )
        self.hint(
            self._("Seen from the head of household ({head}), this person is:").format(head=head)
        )
        self.text(members[index].name, data=True)
        grid = self.grid(2 if self.app.portrait or self.app.large_text else 3)
        for key, links_of, gloss in SHORTCUTS:
            rel = build_chain(links_of)
            self.button(
                f"rel_{key}",
                relationship_label(rel.display, self._(gloss)),
                partial(household.set_relationship, rel),
                role="secondary",
                parent=grid,
                tall=True,
            )
        for key, special, gloss in SPECIALS:
            self.button(
                f"rel_{key}",
                relationship_label(special.display, self._(gloss)),
                partial(household.set_relationship, special),
                role="secondary",
                parent=grid,
                tall=True,
            )
        self.text(self._("Other relative: build it step by step (e.g. 妻の父)."))
        links = self.grid(5, portrait_cols=4) if not self.app.large_text else self.grid(4)
        for link, key in LINK_IDS.items():
            self.button(
                f"chain_{key}",
                link.value,
                partial(household.chain_add, link.value),
                role="chip",
                parent=links,
            )
        chain_text = "の".join(edit.chain)
        self.text(chain_text or "-", data=True)
        built = self._chain()
        if edit.chain and built is None:
            self.text(self._("This chain is not allowed. Please clear it and try again."))
        row = self.row()
        self.button(
            "chain_clear", self._("Clear"), household.chain_clear, role="secondary", parent=row
        )
        if built is not None:
            self.button(
                "chain_ok",
                self._("Use this"),
                partial(household.set_relationship, built),
                parent=row,
            )
        self.footer_button("rel_back", self._("Back"), self._back, role="secondary")

    def _chain(self) -> Relationship | None:
        edit = self.flow.household.edit
        if edit is None or not edit.chain:
            return None
        try:
            return build_chain(edit.chain)
        except RelationshipError:
            return None

    def _back(self) -> None:
        self.flow.household.back()


SCREEN = RelationshipScreen
