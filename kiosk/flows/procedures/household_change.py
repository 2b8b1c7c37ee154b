"""世帯変更 (household changes): the address the household lives at, then the new household."""

from __future__ import annotations

from kiosk.flows.procedures.base import Parts, PlaceProcedure
from kiosk.flows.visit import PlaceDraft
from kiosk.forms.model import FilingKind


class HouseholdChangeProcedure(PlaceProcedure):
    """世帯変更 today (世帯分離・合併・世帯主変更 land here as further kinds)."""

    kinds = (FilingKind.HOUSEHOLD_RESTRUCTURE,)

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts)
        self._draft = PlaceDraft()

    @property
    def draft(self) -> PlaceDraft:
        """Where the household lives, the date, the related answers."""
        return self._draft
