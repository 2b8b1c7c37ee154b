"""世帯変更 (household changes): 世帯分離・世帯合併・世帯主変更・世帯構成変更, without an address.

The resident picks the kind, lists the members whose household changes (the list of the household
part, with the new 世帯主 and every 続柄 declared), then names the 旧世帯主 where the kind needs it
(世帯主変更 and 世帯合併: one of the members; 世帯分離: the 世帯主 of the household left, typed).
世帯合併 joins the household of a declared 世帯主 (typed first).
"""

from __future__ import annotations

import dataclasses

from kiosk.flows.change_questions import NEEDS_PREVIOUS_HEAD
from kiosk.flows.procedures.base import Parts, Procedure
from kiosk.flows.steps import EditTarget
from kiosk.flows.visit import PlaceDraft
from kiosk.forms.model import NO_ADDRESS, Address, FilingKind, Household, HouseholdMode


class HouseholdChangeProcedure(Procedure):
    """One entry (世帯変更) offering the four kinds; no address picker."""

    #: offered as one procedure; the kind is picked after the card (``CHANGE_KINDS``)
    kinds = (FilingKind.HOUSEHOLD_RESTRUCTURE,)

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts)
        self._draft = PlaceDraft()
        self._back_to_review = False

    @property
    def draft(self) -> PlaceDraft:
        """The date and the related answers (no address: the household stays where it is)."""
        return self._draft

    @property
    def offers_join(self) -> bool:
        """世帯合併: the members join the household of a declared 世帯主."""
        return self.kind is FilingKind.HOUSEHOLD_MERGE

    def begin(self, kind: FilingKind) -> None:
        """A new visit (the kind is asked after the card)."""
        super().begin(kind)
        self._back_to_review = False

    def start(self) -> None:
        """Which of the four kinds."""
        self.parts.household.changes.ask_kind(
            done=self._kind_chosen, back=self.parts.card.back_to_data
        )

    def _kind_chosen(self, kind: FilingKind) -> None:
        parts = self.parts
        visit = parts.visit
        self.kind = visit.kind = kind
        if kind is FilingKind.HOUSEHOLD_MERGE:
            if visit.household_mode is not HouseholdMode.JOIN:
                parts.household.join_then(self.open_household, self.start)
                return
        elif visit.household_mode is HouseholdMode.JOIN:
            parts.household.form_own_household()
        self.open_household()

    def open_household(self) -> None:
        """The members whose household changes; "next" goes on to the 旧世帯主 or the review."""
        self.parts.household.open(offers_join=self.offers_join, done=self.household_done)

    def household_done(self) -> None:
        """Members complete → the 旧世帯主 (where needed) → the review."""
        if self.kind in NEEDS_PREVIOUS_HEAD:
            self.parts.household.changes.ask_previous_head(done=self._to_review)
        else:
            self._to_review()

    def _to_review(self) -> None:
        self._back_to_review = False
        self.parts.review.begin(self)

    def edit(self, target: EditTarget) -> None:
        """Household → the list; 届出人 → its question; anything else → the kind (no address)."""
        if target is EditTarget.HOUSEHOLD:
            self.open_household()
        elif target is EditTarget.FILER:
            self.parts.household.filer.open(back=self.parts.review.open)
        elif target is not EditTarget.RELATED:
            self.start()

    def new_address(self) -> Address:
        """No address: a 世帯変更 carries ``new_address: null``."""
        return NO_ADDRESS

    def household(self, built: Household) -> Household:
        """The 旧世帯主 where the kind names one."""
        return dataclasses.replace(
            built, previous_head=self.parts.household.changes.previous_head(), origin=None
        )
