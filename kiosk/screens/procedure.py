"""Choose the procedure: 転入, 転居, 転出, 世帯変更."""

from __future__ import annotations

from functools import partial

from kiosk.forms.kinds import FilingKind
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.change_kind import LABELS as CHANGE_LABELS
from kiosk.screens.widgets import same_height

LABELS = {
    FilingKind.MOVE_IN: N_("Moving in from another city (転入)"),
    FilingKind.MOVE_WITHIN: N_("Moving within this city (転居)"),
    FilingKind.MOVE_OUT: N_("Moving out of this city (転出)"),
    FilingKind.HOUSEHOLD_RESTRUCTURE: N_("Changing the household (世帯変更)"),
    FilingKind.SEAL_CARD_BINDING: N_(
        "Using my My Number card as my seal registration card (印鑑登録証)"
    ),
    FilingKind.HONSEKI_CONVENIENCE_REGISTRATION: N_(
        "Getting family register certificates at convenience stores (本籍地利用登録)"
    ),
    # the 世帯変更 kinds picked after the card (shown on the review)
    FilingKind.HOUSEHOLD_SPLIT: CHANGE_LABELS[FilingKind.HOUSEHOLD_SPLIT],
    FilingKind.HOUSEHOLD_MERGE: CHANGE_LABELS[FilingKind.HOUSEHOLD_MERGE],
    FilingKind.HEAD_CHANGE: CHANGE_LABELS[FilingKind.HEAD_CHANGE],
}


class ProcedureScreen(KioskScreen):
    """Four large buttons."""

    def build_body(self) -> None:
        """One button per procedure."""
        same_height([  # a label that wraps (an upright panel, a long language) keeps its words
            self.button(
                f"proc_{kind.value}",
                self._(LABELS[kind]),
                partial(self.flow.choose_procedure, kind),
            )
            for kind in self.flow.procedures
        ])  # fmt: skip


SCREEN = ProcedureScreen
