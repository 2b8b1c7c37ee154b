"""Card procedures (a later issue: card-serial procedures, 利用者証明用 PIN): the ready place.

A card procedure is a ``Procedure`` with its own ``kinds``, draft and steps after the card data;
registering it in ``kiosk.flows.core.FAMILIES`` with non-empty ``kinds`` makes the welcome and
procedure screens offer it. Until then it files nothing and is never chosen.
"""

from __future__ import annotations

from kiosk.flows.build import IncompleteVisitError
from kiosk.flows.procedures.base import Parts, Procedure
from kiosk.flows.steps import EditTarget
from kiosk.flows.visit import PlaceDraft
from kiosk.forms.model import Address


class CardProcedures(Procedure):
    """No kinds yet: never offered, never started."""

    kinds = ()

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts)
        self._draft = PlaceDraft()

    @property
    def draft(self) -> PlaceDraft:
        """Unused until the first card procedure lands."""
        return self._draft

    def start(self) -> None:
        """Nothing to ask yet: the resident is sent to the counter (never reached)."""
        self.parts.card.back_to_data()

    def edit(self, target: EditTarget) -> None:
        """No editable parts yet."""
        del target

    def new_address(self) -> Address:
        """Card procedures declare no address."""
        raise IncompleteVisitError("no card procedure yet")
