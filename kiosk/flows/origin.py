"""The household the movers leave (一部転出 / 一部転居): who stays, the 旧世帯主, the new 世帯主.

Nothing is asked unless the resident says some of the household stay (the default is that the
whole household moves). Then: how many stay, who was the 世帯主 until now (one of the movers, or
someone who stays — typed), and, when the 世帯主 leaves and two or more stay, how many of them are
15 or older and — unless exactly one is (one adult with children becomes 世帯主 by 職権, no
世帯主変更) — who becomes the 世帯主 of those who stay (typed; one stayer is 世帯主 by themselves).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step, TextPurpose
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import Visit
from kiosk.forms.model import OriginHousehold, PersonName

#: the largest count offered as a button ("4 or more" files 4: only "≥ 2" matters to the rules)
MAX_STAYING = 4
#: stayers from which the remaining household needs a declared 世帯主
REMAINING_HEAD_FROM = 2
#: the largest count of stayers aged 15 or older offered ("3 or more"; only "exactly 1" matters)
MAX_STAYING_ADULTS = 3


@dataclass(slots=True)
class OriginDraft:
    """``staying`` 0 = everybody moves; ``old_head_member`` or ``old_head_name`` = the 旧世帯主."""

    staying: int = 0
    old_head_member: int | None = None
    old_head_name: str = ""
    remaining_head: str = ""
    #: how many of the stayers are 15 or older (None: not asked or not answered yet)
    staying_adults: int | None = None

    def __repr__(self) -> str:
        return f"OriginDraft(<personal data>, staying={self.staying})"

    def wipe(self) -> None:
        """Back to "the whole household moves"."""
        self.staying = 0
        self.old_head_member = None
        self.old_head_name = self.remaining_head = ""
        self.staying_adults = None

    def personal_strings(self) -> list[str]:
        """Every personal text held."""
        return [s for s in (self.old_head_name, self.remaining_head) if s]


class OriginPart:
    """The origin-household question (one screen, filled in from top to bottom)."""

    def __init__(self, nav: Navigator, visit: Visit, text: TextEntry) -> None:
        self._nav = nav
        self.visit = visit
        self._text = text
        self.draft = OriginDraft()
        self._back: Callable[[], None] = lambda: None

    def open(self, back: Callable[[], None]) -> None:
        """Show the question; ``back`` runs when the resident is done."""
        self._back = back
        self._nav.go(Step.ORIGIN)

    def clear(self) -> None:
        """Forget the answers (the visit ended)."""
        self.draft.wipe()
        self._back = lambda: None

    @property
    def partial(self) -> bool:
        """True when some of the household stay (一部)."""
        return self.draft.staying > 0

    @property
    def head_leaves(self) -> bool:
        """True when the 旧世帯主 is one of the movers."""
        index = self.draft.old_head_member
        return index is not None and index < len(self.visit.members)

    @property
    def needs_adults_count(self) -> bool:
        """The 世帯主 leaves and two or more stay: are they one adult with children?"""
        return self.partial and self.head_leaves and self.draft.staying >= REMAINING_HEAD_FROM

    @property
    def automatic_head(self) -> bool:
        """One stayer, or exactly one stayer aged 15 or older: they become 世帯主 by 職権."""
        if not (self.partial and self.head_leaves):
            return False
        return self.draft.staying == 1 or self.draft.staying_adults == 1

    @property
    def needs_remaining_head(self) -> bool:
        """The 世帯主 leaves, two or more stay and not exactly one of them is an adult."""
        adults = self.draft.staying_adults
        return self.needs_adults_count and adults is not None and adults != 1

    @property
    def complete(self) -> bool:
        """Everything the answers so far require is there."""
        draft = self.draft
        if not self.partial:
            return True
        if not self.head_leaves and not draft.old_head_name:
            return False
        if self.needs_adults_count and draft.staying_adults is None:
            return False
        return not self.needs_remaining_head or bool(draft.remaining_head.strip())

    # ------------------------------------------------------------------ answers

    def set_staying(self, count: int) -> None:
        """How many of the household stay (0 = everybody moves: back to the list at once)."""
        self.draft.staying = max(0, min(count, MAX_STAYING))
        self.draft.staying_adults = None
        if count == 0:
            self.draft.wipe()
            self._back()
            return
        self._nav.refresh()

    def set_old_head_member(self, index: int) -> None:
        """The 旧世帯主 is mover ``index``."""
        draft = self.draft
        draft.old_head_member, draft.old_head_name = index, ""
        if self.needs_remaining_head and not draft.remaining_head:
            self.ask_remaining_head()
            return
        self._nav.refresh()

    def set_staying_adults(self, count: int) -> None:
        """How many stayers are 15 or older; unless exactly one, the new 世帯主 is asked next."""
        draft = self.draft
        draft.staying_adults = max(0, min(count, MAX_STAYING_ADULTS, draft.staying))
        if draft.staying_adults == 1:
            draft.remaining_head = ""  # that adult becomes 世帯主 by 職権
        if self.needs_remaining_head and not draft.remaining_head:
            self.ask_remaining_head()
            return
        self._nav.refresh()

    def ask_old_head_name(self) -> None:
        """The 旧世帯主 stays: type their name."""
        self._text.ask(
            TextPurpose.PREVIOUS_HEAD, self.draft.old_head_name, self._old_head_typed, self._show
        )

    def _old_head_typed(self, value: str) -> None:
        if value.strip():
            self.draft.old_head_member, self.draft.old_head_name = None, value
            self.draft.remaining_head = ""
        self._show()

    def ask_remaining_head(self) -> None:
        """The new 世帯主 of those who stay: type their name."""
        self._text.ask(
            TextPurpose.REMAINING_HEAD, self.draft.remaining_head, self._remaining_typed, self._show
        )

    def _remaining_typed(self, value: str) -> None:
        self.draft.remaining_head = value
        self._show()

    def _show(self) -> None:
        self._nav.go(Step.ORIGIN)

    def done(self) -> None:
        """The screen's "next": only when complete."""
        if self.complete:
            self._back()
        else:
            self._nav.refresh()

    # ------------------------------------------------------------------ reading it

    def previous_head(self) -> PersonName | None:
        """The 旧世帯主 for the form, or None when not declared."""
        draft, members = self.draft, self.visit.members
        if not self.partial:
            return None
        if self.head_leaves and draft.old_head_member is not None:
            member = members[draft.old_head_member]
            return PersonName(member.name, member.furigana)
        return PersonName(draft.old_head_name) if draft.old_head_name else None

    def origin(self) -> OriginHousehold | None:
        """``household.origin`` of the filing (None: the whole household moves)."""
        if not self.partial:
            return None
        draft = self.draft
        remaining = draft.remaining_head.strip()
        adults = draft.staying_adults
        declared = bool(remaining) and self.needs_remaining_head
        return OriginHousehold(
            remaining_head=PersonName(remaining) if declared else None,
            staying=draft.staying,
            staying_children=max(0, draft.staying - adults) if adults is not None else 0,
        )
