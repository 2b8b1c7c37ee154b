"""What every procedure family gets (the shared parts) and what it must provide."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from kiosk.flows.abroad import AbroadQuestion
from kiosk.flows.address_step import AddressStep
from kiosk.flows.build import IncompleteVisitError, build_filing, new_address
from kiosk.flows.card_steps import CardSteps
from kiosk.flows.date_entry import DateEntry
from kiosk.flows.household import HouseholdPart
from kiosk.flows.move_out_route import MoveOutRouteQuestion
from kiosk.flows.nav import Navigator
from kiosk.flows.newcomer import NewcomerPart
from kiosk.flows.review import ReviewPart
from kiosk.flows.steps import EditTarget
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import PlaceDraft, Visit
from kiosk.forms.model import Address, Filing, FilingKind, Household

#: kinds whose movers may leave part of their household behind (一部転出 / 一部転居)
ORIGIN_KINDS = (FilingKind.MOVE_WITHIN, FilingKind.MOVE_OUT)


@dataclass(frozen=True, slots=True)
class Parts:
    """The shared sub-flows a procedure strings together (narrow, typed interfaces)."""

    visit: Visit
    card: CardSteps
    text: TextEntry
    address: AddressStep
    household: HouseholdPart
    review: ReviewPart
    ward_code: Callable[[], str]
    today: Callable[[], date]
    dates: DateEntry
    route: MoveOutRouteQuestion
    newcomer: NewcomerPart
    abroad: AbroadQuestion
    #: shows a procedure's own step (the card procedures' request screens); None in unit parts
    nav: Navigator | None = None


class Procedure(ABC):
    """A procedure family: the kinds it files, its steps after the card data, its filing."""

    #: the kinds this family files (the visit core routes ``choose_procedure`` by these)
    kinds: ClassVar[tuple[FilingKind, ...]] = ()

    def __init__(self, parts: Parts) -> None:
        self.parts = parts
        self.kind: FilingKind | None = None

    @property
    @abstractmethod
    def draft(self) -> PlaceDraft:
        """This procedure's draft (wiped when the visit ends)."""

    def begin(self, kind: FilingKind) -> None:
        """A new visit for ``kind`` (the card steps come first, run by the core)."""
        self.kind = kind
        self.draft.wipe()

    @abstractmethod
    def start(self) -> None:
        """The first step after the card holder's data was read (or confirmed)."""

    @abstractmethod
    def edit(self, target: EditTarget) -> None:
        """From the review: open the part for ``target``; come back to the review afterwards."""

    @abstractmethod
    def new_address(self) -> Address:
        """The address the filing declares (raises ``IncompleteVisitError`` while missing)."""

    @property
    def offers_join(self) -> bool:
        """Whether the household list offers joining an existing household (一部)."""
        return False

    @property
    def asks_origin(self) -> bool:
        """Whether the household list asks who stays in the household left behind."""
        return self.kind in ORIGIN_KINDS

    def draft_filing(self) -> Filing | None:
        """The filing as it stands, or None while something needed is missing."""
        parts = self.parts
        try:
            filing = build_filing(
                parts.visit,
                self.draft,
                address=self.new_address(),
                ward_code=parts.ward_code(),
                today=parts.today(),
            )
            return dataclasses.replace(
                filing,
                filer=parts.household.filer.filer(),
                household=self.household(filing.household),
            )
        except ValueError:  # IncompleteVisitError, or a model rule the draft does not meet yet
            return None

    def household(self, built: Household) -> Household:
        """The household block with the origin household's answers (一部転出 / 一部転居)."""
        if not self.asks_origin:
            return built
        origin = self.parts.household.origin
        return dataclasses.replace(
            built, origin=origin.origin(), previous_head=origin.previous_head()
        )

    def wipe(self) -> None:
        """Forget the draft (the visit ended)."""
        self.kind = None
        self.draft.wipe()

    def personal_strings(self) -> list[str]:
        """Every personal text the draft (and the household's sub-parts) hold."""
        return self.draft.personal_strings() + self.parts.household.personal_strings()


class PlaceProcedure(Procedure):
    """Address (+ 方書) → household → review: the shape of 転入・転居 and 世帯変更."""

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts)
        self._back_to_review = False

    def begin(self, kind: FilingKind) -> None:
        """A new visit for ``kind``."""
        super().begin(kind)
        self._back_to_review = False

    def start(self) -> None:
        """The address picker first."""
        self.open_address()

    def open_address(self) -> None:
        """The picker over the master (back at its top: the data read)."""
        self.parts.address.open(
            self.draft, done=self.address_done, back=self.parts.card.back_to_data
        )

    def address_done(self) -> None:
        """Address complete: on to the household, or back to the review it was edited from."""
        if self._back_to_review:
            self._back_to_review = False
            self.parts.review.open()
        else:
            self.open_household()

    def open_household(self) -> None:
        """The household list; its "next" leads to the review."""
        self.parts.household.open(
            offers_join=self.offers_join, done=self.household_done, asks_origin=self.asks_origin
        )

    def household_done(self) -> None:
        """Household complete → review (questions prepared afresh)."""
        self._back_to_review = False
        self.parts.review.begin(self)

    def edit(self, target: EditTarget) -> None:
        """Address, 方書 or household, then back to the review."""
        if target is EditTarget.ADDRESS:
            self._back_to_review = True
            self.open_address()
        elif target is EditTarget.KATAGAKI:
            self._back_to_review = True
            self.parts.address.edit_katagaki(
                self.draft, done=self.address_done, back=self.open_address
            )
        elif target is EditTarget.HOUSEHOLD:
            self._back_to_review = True
            self.open_household()

    def new_address(self) -> Address:
        """The picked address with its 方書."""
        return new_address(self.draft)


__all__ = ["IncompleteVisitError", "Parts", "PlaceProcedure", "Procedure"]
