"""Moves: 転入 (from another city), 転居 (within the city), 転出 (out: the destination typed)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.flows.build import IncompleteVisitError, free_text_address
from kiosk.flows.procedures.base import Parts, PlaceProcedure
from kiosk.flows.steps import EditTarget, TextPurpose
from kiosk.flows.visit import PlaceDraft
from kiosk.forms.model import Address, FilingKind


@dataclass(slots=True)
class MoveDraft(PlaceDraft):
    """A move's draft: the place draft plus the 転出先 typed for a move out."""

    destination: str = ""

    def wipe(self) -> None:
        """Forget everything in place."""
        PlaceDraft.wipe(self)
        self.destination = ""

    def personal_strings(self) -> list[str]:
        """Every personal text held."""
        return PlaceDraft.personal_strings(self) + ([self.destination] if self.destination else [])


class MovesProcedure(PlaceProcedure):
    """転入・転居 pick the new address on the master; 転出 types the destination instead."""

    kinds = (FilingKind.MOVE_IN, FilingKind.MOVE_WITHIN, FilingKind.MOVE_OUT)

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts)
        self._draft = MoveDraft()

    @property
    def draft(self) -> MoveDraft:
        """This visit's move draft."""
        return self._draft

    @property
    def moving_out(self) -> bool:
        """True for 転出."""
        return self.kind is FilingKind.MOVE_OUT

    @property
    def offers_join(self) -> bool:
        """Moving in or within may join a household already living at the new address."""
        return self.kind in (FilingKind.MOVE_IN, FilingKind.MOVE_WITHIN)

    def open_address(self) -> None:
        """転出: the destination on the keyboard; otherwise the picker."""
        if not self.moving_out:
            super().open_address()
            return
        self.parts.text.ask(
            TextPurpose.DESTINATION,
            self.draft.destination,
            self._destination_typed,
            self.parts.card.back_to_data,
        )

    def _destination_typed(self, value: str) -> None:
        if not value:
            self.open_address()  # the destination is required: ask again
            return
        self.draft.destination = value
        self.address_done()

    def edit(self, target: EditTarget) -> None:
        """As every place procedure (转出 has no 方書 to edit)."""
        if target is EditTarget.KATAGAKI and self.moving_out:
            return
        super().edit(target)

    def new_address(self) -> Address:
        """The picked address, or the typed destination for 転出."""
        if not self.moving_out:
            return super().new_address()
        if not self.draft.destination:
            raise IncompleteVisitError("no destination")
        return free_text_address(self.draft.destination)
