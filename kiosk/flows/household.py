"""The household part: who moves (cards or typed), the 世帯主, each 続柄, joining a household.

Every 続柄 is declared by the resident (never pre-selected from age or sex); the list holds the
two sub-parts reached from it: who files (``filer``) and the household left behind (``origin``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from kiosk.flows.build import apply_head
from kiosk.flows.change_questions import ChangeQuestions
from kiosk.flows.date_entry import DateEntry, DatePurpose
from kiosk.flows.filer import FilerPart
from kiosk.flows.nav import Navigator
from kiosk.flows.origin import OriginPart
from kiosk.flows.steps import Step, TextPurpose
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import PersonDraft, Visit
from kiosk.forms.model import HouseholdMode, Sex
from kiosk.forms.relationship import Relationship

#: links the chain builder accepts at most (妻の父の兄…)
MAX_CHAIN = 4


@dataclass(slots=True)
class MemberEdit:
    """The member whose details or 続柄 are being entered, and the chain built so far."""

    index: int
    chain: list[str] = field(default_factory=list)


class HouseholdPart:
    """The household list and its sub-steps (member details, 続柄); ``done`` when complete."""

    def __init__(self, nav: Navigator, visit: Visit, text: TextEntry) -> None:
        self._nav = nav
        self.visit = visit
        self._text = text
        self.edit: MemberEdit | None = None
        self.same_card = False
        self.offers_join = False
        #: whether the list asks about the household left behind (一部転出 / 一部転居)
        self.asks_origin = False
        #: the last card check began with a card put on the reader (not the "add" button)
        self._placed = False
        self.filer = FilerPart(nav, visit, text)
        self.origin = OriginPart(nav, visit, text)
        #: the 世帯変更 questions (kind, 旧世帯主), asked around the list
        self.changes = ChangeQuestions(nav, visit, text)
        self._done: Callable[[], None] = lambda: None
        #: the card part's "read another member's card" (set by the visit core)
        self.read_member_card: Callable[[], None] = lambda: None
        #: the card part's "show the data read" (set by the visit core)
        self.show_card_data: Callable[[], None] = lambda: None
        #: the date pad (set by the visit core): 生年月日 of a member typed by hand
        self.dates: DateEntry | None = None

    def open(
        self, *, offers_join: bool, done: Callable[[], None], asks_origin: bool = False
    ) -> None:
        """Show the list; ``done`` runs when the resident confirms a complete household."""
        self.offers_join, self._done, self.asks_origin = offers_join, done, asks_origin
        self.show()

    def open_filer(self) -> None:
        """Who files (default: the card holder as 本人); back to the list afterwards."""
        self.filer.open(back=self.show)

    def open_origin(self) -> None:
        """Who stays in the household left behind; back to the list afterwards."""
        self.origin.open(back=self.show)

    def show(self) -> None:
        """Back to the list (from a sub-step or a card)."""
        self.edit = None
        self._nav.go(Step.HOUSEHOLD)

    def clear(self) -> None:
        """Forget the state of the sub-steps (the visit ended)."""
        self.edit = None
        self.same_card = False
        self.offers_join = False
        self.asks_origin = False
        self._placed = False
        self.filer.clear()
        self.origin.clear()
        self.changes.clear()
        self._done = lambda: None

    def personal_strings(self) -> list[str]:
        """Every personal text the sub-parts hold (the members are the visit's)."""
        filer, origin = self.filer.draft.personal_strings(), self.origin.draft.personal_strings()
        return filer + origin + self.changes.personal_strings()

    # ------------------------------------------------------------------ members

    def add_member_by_card(self) -> None:
        """The "add a person with their card" button: the next member's card is about to come."""
        self._placed = False
        self.same_card = False
        self.read_member_card()

    def card_placed(self) -> None:
        """A card was put on the reader while the list shows (a member's, or the holder's back)."""
        self._placed = True
        self.same_card = False
        self.read_member_card()

    def member_read(self, person: PersonDraft) -> None:
        """A further member's card was read (called by the card part)."""
        members = self.visit.members
        if any(m.from_chip and m.name == person.name and m.birth_date == person.birth_date
               for m in members):  # fmt: skip
            self.same_card = True
            self.show()
            return
        members.append(person)
        if person.sex:
            self.show()
        else:
            self.edit = MemberEdit(len(members) - 1)
            self._nav.go(Step.MEMBER_DETAILS)

    def add_member_by_hand(self) -> None:
        """Type a member's name (then furigana, birth date and sex)."""
        self._text.ask(TextPurpose.MEMBER_NAME, "", self._name_typed, self.show)

    def _name_typed(self, value: str) -> None:
        if not value:
            self.show()
            return
        self.visit.members.append(PersonDraft(name=value))
        index = len(self.visit.members) - 1
        self._text.ask(
            TextPurpose.MEMBER_FURIGANA,
            "",
            lambda furigana: self._furigana_typed(index, furigana),
            lambda: self._drop_typed(index),
        )

    def _furigana_typed(self, index: int, value: str) -> None:
        if index < len(self.visit.members):
            self.visit.members[index].furigana = value
            self.edit = MemberEdit(index)
            if self.visit.members[index].birth_date is None and self.dates is not None:
                self.ask_birth()  # straight on to the date pad (then sex on the details)
                return
        self._nav.go(Step.MEMBER_DETAILS)

    def ask_birth(self) -> None:
        """The 生年月日 of the member being edited on the date pad; back to the details."""
        edit, dates = self.edit, self.dates
        if edit is None or dates is None or edit.index >= len(self.visit.members):
            return
        member = self.visit.members[edit.index]

        def typed(value: date) -> None:
            member.birth_date = value
            self._nav.go(Step.MEMBER_DETAILS)

        dates.ask(
            DatePurpose.BIRTH, member.birth_date, typed, lambda: self._nav.go(Step.MEMBER_DETAILS)
        )

    def _drop_typed(self, index: int) -> None:
        if index < len(self.visit.members):
            del self.visit.members[index]
        self.show()

    def set_member_details(self, index: int, birth: date, sex: Sex) -> None:
        """Birth date and sex of a member typed by hand."""
        member = self.visit.members[index]
        member.birth_date = birth
        member.sex = sex
        self.show()

    def remove_member(self, index: int) -> None:
        """Drop a further member (the card holder stays)."""
        visit = self.visit
        if 0 < index < len(visit.members):
            del visit.members[index]
            if visit.head_index is not None and visit.head_index >= len(visit.members):
                apply_head(visit, 0)
            self._nav.refresh()

    def missing(self) -> list[int]:
        """Indexes of members whose 続柄 or details are still missing."""
        return [
            i for i, m in enumerate(self.visit.members) if m.relationship is None or not m.complete
        ]

    def holder_card_back(self) -> None:
        """The card holder put their own card back (it signs the filing): with every member
        complete that ends the list like "next" (a card placement, not a touch); else the list."""
        placed, self._placed = self._placed, False
        if placed and self.visit.members and not self.missing() and self.origin.complete:
            self._done()
        else:
            self.show()

    def done(self) -> None:
        """The list's "next": on only when every member and the origin answers are complete."""
        if self.missing() or not self.origin.complete:
            self._nav.refresh()
            return
        self._done()

    # ------------------------------------------------------------------ 世帯主, joining

    def set_head(self, index: int) -> None:
        """Make member ``index`` the 世帯主 (全部)."""
        self.visit.household_mode = HouseholdMode.WHOLE
        self.visit.existing_head = ""
        apply_head(self.visit, index)
        self._nav.refresh()

    def form_own_household(self) -> None:
        """Back from 一部 to 全部 with the card holder as 世帯主 (every 続柄 asked again)."""
        self.set_head(0)

    def join_existing_household(self) -> None:
        """一部: declare the existing 世帯主 by name."""
        self.join_then(self.show, self.show)

    def join_then(self, after: Callable[[], None], cancel: Callable[[], None]) -> None:
        """Ask the existing 世帯主's name; ``after`` once given (世帯合併 starts here)."""
        self._text.ask(
            TextPurpose.EXISTING_HEAD,
            self.visit.existing_head,
            lambda value: self._head_typed(value, after),
            cancel,
        )

    def _head_typed(self, value: str, after: Callable[[], None]) -> None:
        visit = self.visit
        visit.existing_head = value
        if value:
            visit.household_mode = HouseholdMode.JOIN
            visit.head_index = None
            for member in visit.members:
                member.relationship = None
        after()

    # ------------------------------------------------------------------ 続柄

    def edit_relationship(self, index: int) -> None:
        """Open the 続柄 picker for one member."""
        self.edit = MemberEdit(index)
        self._nav.go(Step.RELATIONSHIP)

    def chain_add(self, link: str) -> None:
        """Append one link to the chain builder."""
        if self.edit is not None and len(self.edit.chain) < MAX_CHAIN:
            self.edit.chain.append(link)
        self._nav.refresh()

    def chain_clear(self) -> None:
        """Empty the chain builder."""
        if self.edit is not None:
            self.edit.chain.clear()
        self._nav.refresh()

    def pick_relationship(self, index: int, relationship: Relationship) -> None:
        """A 続柄 picked directly on the list (one touch for the common ones)."""
        if 0 <= index < len(self.visit.members) and index != self.visit.head_index:
            self.visit.members[index].relationship = relationship
        self._nav.refresh()

    def set_relationship(self, relationship: Relationship) -> None:
        """Store the picked 続柄 for the member being edited."""
        edit = self.edit
        if edit is not None and edit.index < len(self.visit.members):
            self.visit.members[edit.index].relationship = relationship
        self.show()

    def back(self) -> None:
        """Leave the 続柄 picker or member details without a change."""
        self.show()
