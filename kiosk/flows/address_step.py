"""The address part: the picker over the ward's master, then the 方書 on the keyboard.

The 方書 choice is offered on the last picker level (号 or 地番): "I live in an apartment or
building" switched on there makes the 号 open the 方書 keyboard; left off (a house), the 号 ends the
address in one touch. The review shows the 方書 (or its absence) with its own change button.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from kiosk.flows.address_picker import AddressPicker
from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step, TextPurpose
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import PlaceDraft
from kiosk.forms.master import AddressMaster


class AddressStep:
    """町 → 丁目 → 街区 → 号 (or 地番) into ``draft.new_address``, then 方書 into the draft."""

    def __init__(self, nav: Navigator, master: AddressMaster, text: TextEntry) -> None:
        self._nav = nav
        self.master = master
        self._text = text
        self.picker: AddressPicker | None = None
        self._draft: PlaceDraft | None = None
        self._done: Callable[[], None] = lambda: None
        self._back: Callable[[], None] = lambda: None
        #: the 方書 choice of the last level: True → the 号 opens the 方書 keyboard
        self.has_building = False

    def open(
        self,
        draft: PlaceDraft,
        *,
        done: Callable[[], None],
        back: Callable[[], None],
        building: bool | None = None,
    ) -> None:
        """Start (or restart) the picker; ``done`` after the 方書, ``back`` from the top level."""
        self._draft, self._done, self._back = draft, done, back
        self.picker = AddressPicker(self.master)
        # an earlier 方書 keeps the choice on (``building`` overrides: back from its keyboard)
        self.has_building = bool(draft.katagaki) if building is None else building
        self._nav.go(Step.ADDRESS)

    def toggle_building(self) -> None:
        """The last level's 方書 choice: an apartment or building (or not)."""
        self.has_building = not self.has_building
        self._nav.refresh()

    def pick_kana_row(self, row: str) -> None:
        """Filter the town list by a kana row (ア, カ, サ…); "" shows all."""
        if self.picker is not None:
            self.picker.kana_row = row
            self._nav.refresh()

    def search(self, query: str) -> None:
        """The town search by reading: ``query`` is what the resident typed so far."""
        if self.picker is not None:
            self.picker.search(query)
            self._nav.refresh()

    def list_all(self) -> None:
        """Leave the town search for the whole list."""
        if self.picker is not None:
            self.picker.list_all()
            self._nav.refresh()

    def pick(self, key: str) -> None:
        """One picker choice; after the last level, the 方書 keyboard."""
        if self.picker is None or self._draft is None:
            return
        address = self.picker.choose(key)
        if address is None:
            self._nav.refresh()
            return
        self._draft.new_address = address
        if self.has_building:
            self.ask_katagaki()
        else:
            self._katagaki_done("")  # a house: no 方書, the address is complete

    def use_parcel(self) -> None:
        """Switch the picker to 地番."""
        if self.picker is not None:
            self.picker.use_parcel()
            self._nav.refresh()

    def back(self) -> None:
        """Up one picker level, or leave the picker at the top."""
        if self.picker is not None and self.picker.back():
            self._nav.refresh()
        else:
            self._back()

    def edit_katagaki(
        self, draft: PlaceDraft, *, done: Callable[[], None], back: Callable[[], None]
    ) -> None:
        """Only the 方書 of the address already picked (the review's "change the building")."""
        self._draft, self._done, self._back = draft, done, back
        self.ask_katagaki()

    def ask_katagaki(self) -> None:
        """The 方書 keyboard for the picked address."""
        draft = self._draft
        if draft is None:
            return
        self._text.ask(TextPurpose.KATAGAKI, draft.katagaki, self._katagaki_done, self._reopen)

    def _reopen(self) -> None:
        if self._draft is not None:
            self.open(self._draft, done=self._done, back=self._back, building=True)

    def _katagaki_done(self, value: str) -> None:
        draft = self._draft
        if draft is None:
            return
        draft.katagaki = value
        if draft.new_address is not None:
            suggestions = self.building_suggestions()
            listed = value in suggestions or any(value.startswith(b) for b in suggestions)
            draft.new_address = dataclasses.replace(
                draft.new_address, katagaki=value, katagaki_listed=listed and bool(value)
            )
        self._done()

    def building_suggestions(self) -> list[str]:
        """方書 buildings listed for the chosen address (for the keyboard screen)."""
        if self._draft is None or self._draft.new_address is None:
            return []
        return [b.name for b in self.master.katagaki(self._draft.new_address)]

    def clear(self) -> None:
        """Forget the picker and the draft it filled (the visit ended)."""
        self.picker = None
        self._draft = None
        self.has_building = False
        self._done = self._back = lambda: None
