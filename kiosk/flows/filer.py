"""Who files (届出人): a moving member (本人/世帯主), a 世帯主 or 同一世帯員 who stays, or a 代理人.

The card holder files as 本人 unless the resident says otherwise (so the standard visit asks
nothing); a filer who is not one of the movers types their name (and, for a 代理人, furigana and
address) on the keyboard; a 任意代理人 then gives the date of the 委任状 on the date keypad.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kiosk.flows.date_entry import DateEntry, DatePurpose
from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step, TextPurpose
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import Visit
from kiosk.forms.model import Address, AddressScheme, Filer, HouseholdMode, Standing

#: standings whose filer is not one of the movers (their name is typed)
OUTSIDE_STANDINGS = (
    Standing.HEAD,
    Standing.HOUSEHOLD_MEMBER,
    Standing.PROXY,
    Standing.LEGAL_REPRESENTATIVE,
)
#: standings that also need furigana and an address (a 代理人 is not on the 住民票 here)
REPRESENTING = (Standing.PROXY, Standing.LEGAL_REPRESENTATIVE)


@dataclass(slots=True)
class FilerDraft:
    """The chosen 届出人: a member (``member_index``) or a typed outsider."""

    member_index: int | None = 0
    standing: Standing = Standing.SELF
    name: str = ""
    furigana: str = ""
    address: str = ""
    phone: str = ""
    #: 任意代理人: the date written on the 委任状 (None: not given)
    power_of_attorney_dated: date | None = None

    def __repr__(self) -> str:
        return f"FilerDraft(<personal data>, standing={self.standing})"

    def wipe(self) -> None:
        """Back to the default (the card holder as 本人), forgetting typed data."""
        self.member_index = 0
        self.standing = Standing.SELF
        self.name = self.furigana = self.address = self.phone = ""
        self.power_of_attorney_dated = None

    def personal_strings(self) -> list[str]:
        """Every personal text held."""
        return [s for s in (self.name, self.furigana, self.address, self.phone) if s]


class FilerPart:
    """The 届出人 question (one screen of large buttons) and the keyboard for an outsider."""

    def __init__(self, nav: Navigator, visit: Visit, text: TextEntry) -> None:
        self._nav = nav
        self.visit = visit
        self._text = text
        self.draft = FilerDraft()
        self._back: Callable[[], None] = lambda: None
        #: the date keypad (set by the visit core; the 委任状 date is skipped without it)
        self.dates: DateEntry | None = None

    def open(self, back: Callable[[], None]) -> None:
        """Show the question; ``back`` runs once the filer is chosen (or unchanged)."""
        self._back = back
        self._nav.go(Step.FILER)

    def clear(self) -> None:
        """Forget the filer (the visit ended)."""
        self.draft.wipe()
        self._back = lambda: None

    def close(self) -> None:
        """Back without a change."""
        self._back()

    def choose_member(self, index: int) -> None:
        """A moving member files (本人; 世帯主 standing when they are the new head)."""
        if 0 <= index < len(self.visit.members):
            self.draft.wipe()
            self.draft.member_index = index
        self._back()

    def choose_outside(self, standing: Standing) -> None:
        """Someone who does not move files: ask their name (and more for a 代理人)."""
        draft = self.draft
        self._text.ask(
            TextPurpose.FILER_NAME,
            draft.name if draft.standing is standing else "",
            lambda name: self._name_typed(standing, name),
            lambda: self._nav.go(Step.FILER),
        )

    def _name_typed(self, standing: Standing, name: str) -> None:
        if not name.strip():
            self._nav.go(Step.FILER)
            return
        draft = self.draft
        if draft.standing is not standing:
            draft.furigana = draft.address = draft.phone = ""
            draft.power_of_attorney_dated = None
        draft.member_index, draft.standing, draft.name = None, standing, name
        if standing not in REPRESENTING:
            self._back()
            return
        self._text.ask(TextPurpose.FILER_FURIGANA, draft.furigana, self._furigana_typed, self._back)

    def _furigana_typed(self, value: str) -> None:
        self.draft.furigana = value
        self._text.ask(
            TextPurpose.FILER_ADDRESS, self.draft.address, self._address_typed, self._back
        )

    def _address_typed(self, value: str) -> None:
        self.draft.address = value
        self._text.ask(TextPurpose.FILER_PHONE, self.draft.phone, self._phone_typed, self._back)

    def _phone_typed(self, value: str) -> None:
        self.draft.phone = value.strip()
        if self.draft.standing is Standing.PROXY and self.dates is not None:
            self.ask_power_of_attorney_date()
            return
        self._back()

    def ask_power_of_attorney_date(self) -> None:
        """任意代理人: the date on the 委任状 (the keypad; its "back" leaves it unanswered)."""
        if self.dates is None:
            return

        def typed(value: date) -> None:
            self.draft.power_of_attorney_dated = value
            self._back()

        self.dates.ask(
            DatePurpose.POWER_OF_ATTORNEY, self.draft.power_of_attorney_dated, typed, self._back
        )

    # ------------------------------------------------------------------ reading it

    def label_standing(self) -> Standing:
        """The standing the filing will carry (a member who is the new 世帯主 files as 世帯主)."""
        draft, visit = self.draft, self.visit
        index = draft.member_index
        if index is None:
            return draft.standing
        if visit.household_mode is HouseholdMode.WHOLE and visit.head_index == index:
            return Standing.HEAD
        return Standing.SELF

    def filer(self) -> Filer:
        """The ``Filer`` of the filing (the card holder as 本人 when nothing was chosen)."""
        draft, members = self.draft, self.visit.members
        index = draft.member_index
        if index is not None and index >= len(members):
            index = 0
        if index is not None and members:
            member = members[index]
            return Filer(
                name=member.name,
                standing=self.label_standing(),
                furigana=member.furigana,
                member_index=index,
                from_chip=member.from_chip,
            )
        address = (
            Address(AddressScheme.FREE_TEXT, free_text=draft.address) if draft.address else None
        )
        return Filer(
            name=draft.name,
            standing=draft.standing,
            furigana=draft.furigana,
            member_index=None,
            address=address,
            phone=draft.phone,
            power_of_attorney_dated=(
                draft.power_of_attorney_dated if draft.standing is Standing.PROXY else None
            ),
        )

    def display_name(self) -> str:
        """The filer's name as shown on the household list."""
        index = self.draft.member_index
        members = self.visit.members
        if index is not None:
            return members[index].name if index < len(members) else ""
        return self.draft.name
