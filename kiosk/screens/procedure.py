"""Choose the procedure: 転入, 転居, 転出, 世帯変更."""

from __future__ import annotations

from functools import partial

from kiosk.flows.controller import PROCEDURES
from kiosk.forms.model import FilingKind
from kiosk.screens.base import KioskScreen

LABELS = {
    FilingKind.MOVE_IN: "Moving in from another city (転入)",
    FilingKind.MOVE_WITHIN: "Moving within this city (転居)",
    FilingKind.MOVE_OUT: "Moving out of this city (転出)",
    FilingKind.HOUSEHOLD_RESTRUCTURE: "Changing the household (世帯変更)",
}


class ProcedureScreen(KioskScreen):
    """Four large buttons."""

    def build_body(self) -> None:
        """One button per procedure."""
        for kind in PROCEDURES:
            self.button(
                f"proc_{kind.value}",
                self._(LABELS[kind]),
                partial(self.flow.choose_procedure, kind),
            )


SCREEN = ProcedureScreen
