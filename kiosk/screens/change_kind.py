"""世帯変更: the four kinds as large buttons, each with a plain-language explanation."""

from __future__ import annotations

from functools import partial

from kiosk.forms.kinds import FilingKind
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

LABELS = {
    FilingKind.HOUSEHOLD_SPLIT: N_("Split the household (世帯分離): some form a new household"),
    FilingKind.HOUSEHOLD_MERGE: N_("Merge households (世帯合併): we join another household here"),
    FilingKind.HEAD_CHANGE: N_("Change the head of household (世帯主変更)"),
    FilingKind.HOUSEHOLD_RESTRUCTURE: N_("Other change of the household (世帯構成変更)"),
}


class ChangeKindScreen(KioskScreen):
    """Four large buttons; no address is asked (the household stays where it lives)."""

    def build_body(self) -> None:
        """One button per kind."""
        # here, not at import: the welcome screen takes LABELS (via the procedure screen's) and
        # starts without the household-change questions (start-up time, issue 14)
        from kiosk.flows.change_questions import CHANGE_KINDS

        changes = self.flow.household.changes
        self.hint(self._("Nobody moves: the address stays the same."))
        for kind in CHANGE_KINDS:
            self.button(
                f"change_{kind.value}",
                self._(LABELS[kind]),
                partial(changes.choose_kind, kind),
                role="primary" if changes.kind is kind else "secondary",
                tall=True,
            )
        self.footer_button("change_back", self._("Back"), changes.back, role="secondary")


SCREEN = ChangeKindScreen
