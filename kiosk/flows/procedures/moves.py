"""Moves: 転入 (from another city), 転居 (within the city), 転出 (out: the destination typed).

転入 asks first what only the resident knows: how they left the old municipality (the route), the
転出予定日 given there (card and online routes: it decides the 特例転入 deadline) and the day they
started living here — each on its own part (``flow.route``, ``flow.dates``), confirmed, never
defaulted silently. 転居 and 転出 ask for none of these on the way (the review shows the date).
転出 asks first whether the move is within Japan or abroad (``flow.abroad``); abroad: the country,
the address there, then whether the stay lasts one year or more (``abroad_for_one_year_or_more``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kiosk.flows.build import IncompleteVisitError, free_text_address
from kiosk.flows.date_entry import DatePurpose
from kiosk.flows.procedures.base import Parts, PlaceProcedure
from kiosk.flows.steps import EditTarget, TextPurpose
from kiosk.flows.visit import PlaceDraft
from kiosk.forms.model import Address, Filing, FilingKind, MoveOutRoute


@dataclass(slots=True)
class MoveDraft(PlaceDraft):
    """A move's draft: the place draft plus the 転出先 typed for a move out."""

    destination: str = ""
    #: 転入: how they left (None: not sure / not asked yet)
    move_out_route: MoveOutRoute | None = None
    #: 転入 by card or online: the 転出予定日 they gave the old municipality
    planned_move_out_on: date | None = None
    #: 転出: abroad (True), in Japan (False), not asked yet (None)
    abroad: bool | None = None
    #: 転出 abroad: the country (国名) typed
    country: str = ""
    #: 転出 abroad: one year or more (None: not asked)
    abroad_for_one_year_or_more: bool | None = None

    def wipe(self) -> None:
        """Forget everything in place."""
        PlaceDraft.wipe(self)
        self.destination = ""
        self.move_out_route = None
        self.planned_move_out_on = None
        self.abroad = self.abroad_for_one_year_or_more = None
        self.country = ""

    def personal_strings(self) -> list[str]:
        """Every personal text held."""
        typed = [s for s in (self.destination, self.country) if s]
        return PlaceDraft.personal_strings(self) + typed


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

    @property
    def moving_in(self) -> bool:
        """True for 転入."""
        return self.kind is FilingKind.MOVE_IN

    def start(self) -> None:
        """転入: the route and the dates first; otherwise the address."""
        if self.moving_in:
            self._ask_route(then=self._ask_moved_on, back=self.parts.card.back_to_data)
        else:
            super().start()

    # ------------------------------------------------------------------ 転入: route and dates

    def _ask_route(self, *, then: Callable[[], None], back: Callable[[], None]) -> None:
        def chosen(route: MoveOutRoute | None) -> None:
            self.draft.move_out_route = route
            if route is not None and route.is_card_route:
                self._ask_planned(then=then, back=lambda: self._ask_route(then=then, back=back))
            else:
                self.draft.planned_move_out_on = None
                then()

        self.parts.route.ask(self.draft.move_out_route, chosen, back)

    def _ask_planned(self, *, then: Callable[[], None], back: Callable[[], None]) -> None:
        def typed(value: date) -> None:
            self.draft.planned_move_out_on = value
            then()

        self.parts.dates.ask(
            DatePurpose.PLANNED_MOVE_OUT_ON, self.draft.planned_move_out_on, typed, back
        )

    def _ask_moved_on(self) -> None:
        def typed(value: date) -> None:
            self.draft.moved_on = value
            self.open_address()

        def back() -> None:
            self._ask_route(then=self._ask_moved_on, back=self.parts.card.back_to_data)

        shown = self.draft.moved_on or self.parts.today()
        self.parts.dates.ask(DatePurpose.MOVED_ON, shown, typed, back)

    def household_done(self) -> None:
        """転入: each member's nationality, 本籍 or 30条45 items, フリガナ; then the review."""
        if self.moving_in:
            self.parts.newcomer.begin(done=super().household_done, back=self.open_household)
        else:
            super().household_done()

    def draft_filing(self) -> Filing | None:
        """The filing; 転入 also carries the route, the 転出予定日, 本籍 and the 30条45 items."""
        filing = super().draft_filing()
        if filing is not None and self.moving_out and self.draft.abroad:
            year = self.draft.abroad_for_one_year_or_more
            return dataclasses.replace(filing, abroad_for_one_year_or_more=year)
        if filing is None or not self.moving_in:
            return filing
        people = self.parts.visit.members
        members = tuple(
            dataclasses.replace(m, honseki=p.honseki, foreign=p.foreign)
            for m, p in zip(filing.members, people, strict=False)
        )
        return dataclasses.replace(
            filing,
            members=members,
            move_out_route=self.draft.move_out_route,
            planned_move_out_on=self.draft.planned_move_out_on,
        )

    def open_address(self) -> None:
        """転出: in Japan or abroad, then the destination on the keyboard; otherwise the picker."""
        if not self.moving_out:
            super().open_address()
            return
        self.parts.abroad.ask_where(
            self.draft.abroad, self._where_chosen, self.parts.card.back_to_data
        )

    def _where_chosen(self, abroad: bool) -> None:
        draft = self.draft
        if draft.abroad is not abroad:
            draft.destination = ""  # an address of the other kind is no answer any more
        draft.abroad = abroad
        if not abroad:
            draft.country, draft.abroad_for_one_year_or_more = "", None
            self._ask_destination()
            return
        self.parts.text.ask(
            TextPurpose.COUNTRY, draft.country, self._country_typed, self.open_address
        )

    def _country_typed(self, value: str) -> None:
        if not value.strip():
            self._where_chosen(True)  # the country is required abroad: ask again
            return
        self.draft.country = value.strip()
        self._ask_destination()

    def _ask_destination(self) -> None:
        self.parts.text.ask(
            TextPurpose.DESTINATION, self.draft.destination, self._destination_typed,
            self.open_address,
        )  # fmt: skip

    def _destination_typed(self, value: str) -> None:
        draft = self.draft
        if not value and not draft.abroad:
            self._ask_destination()  # the destination in Japan is required: ask again
            return
        draft.destination = value  # abroad: the address there may not be known yet
        if not draft.abroad:
            self.address_done()
            return

        def year_answered(answer: bool) -> None:
            draft.abroad_for_one_year_or_more = answer
            self.address_done()

        self.parts.abroad.ask_year(
            draft.abroad_for_one_year_or_more, year_answered, self._ask_destination
        )

    def edit(self, target: EditTarget) -> None:
        """As every place procedure (转出 has no 方書 to edit); the 届出人 question."""
        if target is EditTarget.KATAGAKI and self.moving_out:
            return
        if target is EditTarget.FILER:
            self.parts.household.filer.open(back=self.parts.review.open)
            return
        if target is EditTarget.MOVE_OUT_ROUTE:
            if self.moving_in:
                review = self.parts.review
                self._ask_route(then=review.open, back=review.open)
            return
        if target is EditTarget.NEWCOMER:
            if self.moving_in:
                review = self.parts.review
                self.parts.newcomer.begin(done=review.open, back=review.open)
            return
        super().edit(target)

    def new_address(self) -> Address:
        """The picked address, or the typed destination for 転出."""
        if not self.moving_out:
            return super().new_address()
        draft = self.draft
        if draft.abroad and draft.country:
            text = draft.destination or draft.country
            return dataclasses.replace(free_text_address(text), country=draft.country)
        if not draft.destination:
            raise IncompleteVisitError("no destination")
        return free_text_address(draft.destination)
