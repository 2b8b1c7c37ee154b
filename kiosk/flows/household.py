"""The household part: who moves (cards or typed), the 世帯主, each 続柄, joining a household."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from kiosk.flows.build import apply_head, suggest_relationship
from kiosk.flows.nav import Navigator
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
        self._done: Callable[[], None] = lambda: None
        #: the card part's "read another member's card" (set by the visit core)
        self.read_member_card: Callable[[], None] = lambda: None
        #: the card part's "show the data read" (set by the visit core)
        self.show_card_data: Callable[[], None] = lambda: None

    def open(self, *, offers_join: bool, done: Callable[[], None]) -> None:
        """Show the list; ``done`` runs when the resident confirms a complete household."""
        self.offers_join, self._done = offers_join, done
        self.show()

    def show(self) -> None:
        """Back to the list (from a sub-step or a card)."""
        self.edit = None
        self._nav.go(Step.HOUSEHOLD)

    def clear(self) -> None:
        """Forget the state of the sub-steps (the visit ended)."""
        self.edit = None
        self.same_card = False
        self.offers_join = False
        self._done = lambda: None

    # ------------------------------------------------------------------ members

    def add_member_by_card(self) -> None:
        """The next member places their own card (or is about to)."""
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
        self._suggest_for_last()
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
        self._nav.go(Step.MEMBER_DETAILS)

    def _drop_typed(self, index: int) -> None:
        if index < len(self.visit.members):
            del self.visit.members[index]
        self.show()

    def set_member_details(self, index: int, birth: date, sex: Sex) -> None:
        """Birth date and sex of a member typed by hand."""
        member = self.visit.members[index]
        member.birth_date = birth
        member.sex = sex
        self._suggest_for_last()
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

    def done(self) -> None:
        """The list's "next": on only when every member is complete."""
        if self.missing():
            self._nav.refresh()
            return
        self._done()

    def _suggest_for_last(self) -> None:
        visit = self.visit
        if visit.household_mode is HouseholdMode.WHOLE and visit.head_index is not None:
            head = visit.members[visit.head_index]
            member = visit.members[-1]
            if member.relationship is None and member is not head:
                member.relationship = suggest_relationship(head, member)

    # ------------------------------------------------------------------ 世帯主, joining

    def set_head(self, index: int) -> None:
        """Make member ``index`` the 世帯主 (全部)."""
        self.visit.household_mode = HouseholdMode.WHOLE
        self.visit.existing_head = ""
        apply_head(self.visit, index)
        self._nav.refresh()

    def join_existing_household(self) -> None:
        """一部: declare the existing 世帯主 by name."""
        self._text.ask(
            TextPurpose.EXISTING_HEAD, self.visit.existing_head, self._head_typed, self.show
        )

    def _head_typed(self, value: str) -> None:
        visit = self.visit
        visit.existing_head = value
        if value:
            visit.household_mode = HouseholdMode.JOIN
            visit.head_index = None
            for member in visit.members:
                member.relationship = None
        self.show()

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

    def set_relationship(self, relationship: Relationship) -> None:
        """Store the picked 続柄 for the member being edited."""
        edit = self.edit
        if edit is not None and edit.index < len(self.visit.members):
            self.visit.members[edit.index].relationship = relationship
        self.show()

    def back(self) -> None:
        """Leave the 続柄 picker or member details without a change."""
        self.show()
