"""The questions of a 世帯変更: which of the four kinds, and who the 世帯主 was until now.

No address is asked: a 世帯変更 happens where the household already lives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step, TextPurpose
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import Visit
from kiosk.forms.model import FilingKind, PersonName

#: the four kinds, in the order offered
CHANGE_KINDS = (
    FilingKind.HOUSEHOLD_SPLIT,
    FilingKind.HOUSEHOLD_MERGE,
    FilingKind.HEAD_CHANGE,
    FilingKind.HOUSEHOLD_RESTRUCTURE,
)
#: kinds that name the 旧世帯主 (世帯分離: the head of the household left, who stays)
NEEDS_PREVIOUS_HEAD = (
    FilingKind.HOUSEHOLD_SPLIT,
    FilingKind.HOUSEHOLD_MERGE,
    FilingKind.HEAD_CHANGE,
)
#: kinds whose 旧世帯主 is one of the members listed (else typed: 世帯分離)
PREVIOUS_HEAD_IS_MEMBER = (FilingKind.HOUSEHOLD_MERGE, FilingKind.HEAD_CHANGE)


@dataclass(slots=True)
class ChangeDraft:
    """The 旧世帯主: a member (``member``) or a typed name."""

    member: int | None = None
    name: str = ""

    def __repr__(self) -> str:
        return "ChangeDraft(<personal data>)"

    def wipe(self) -> None:
        """Forget the answer."""
        self.member = None
        self.name = ""


def _ignore_kind(_kind: FilingKind) -> None:
    """The kind callback before a visit asks the question."""


class ChangeQuestions:
    """The kind question and the 旧世帯主 question of a 世帯変更."""

    def __init__(self, nav: Navigator, visit: Visit, text: TextEntry) -> None:
        self._nav = nav
        self.visit = visit
        self._text = text
        self.draft = ChangeDraft()
        self.kind: FilingKind | None = None
        self._kind_done: Callable[[FilingKind], None] = _ignore_kind
        self._head_done: Callable[[], None] = lambda: None
        self.back: Callable[[], None] = lambda: None

    def clear(self) -> None:
        """Forget everything (the visit ended)."""
        self.draft.wipe()
        self.kind = None
        self._kind_done = _ignore_kind
        self._head_done = lambda: None
        self.back = lambda: None

    def personal_strings(self) -> list[str]:
        """Every personal text held."""
        return [self.draft.name] if self.draft.name else []

    # ------------------------------------------------------------------ the kind

    def ask_kind(self, done: Callable[[FilingKind], None], back: Callable[[], None]) -> None:
        """Show the four kinds; ``done(kind)`` runs with the one picked."""
        self._kind_done, self.back = done, back
        self._nav.go(Step.CHANGE_KIND)

    def choose_kind(self, kind: FilingKind) -> None:
        """One of ``CHANGE_KINDS`` picked."""
        if kind not in CHANGE_KINDS:
            return
        if kind is not self.kind:
            self.draft.wipe()
        self.kind = kind
        self._kind_done(kind)

    # ------------------------------------------------------------------ the 旧世帯主

    def ask_previous_head(self, done: Callable[[], None]) -> None:
        """Who was the 世帯主 until now (a member's button, or typed for 世帯分離)."""
        self._head_done = done
        if self.kind in PREVIOUS_HEAD_IS_MEMBER:
            self._nav.go(Step.PREVIOUS_HEAD)
        else:
            self.type_previous_head()

    def choose_member(self, index: int) -> None:
        """Member ``index`` was the 世帯主."""
        if 0 <= index < len(self.visit.members):
            self.draft.member, self.draft.name = index, ""
            self._head_done()

    def type_previous_head(self) -> None:
        """The 旧世帯主 is not among the members listed: type the name."""
        on_cancel = (
            (lambda: self._nav.go(Step.PREVIOUS_HEAD))
            if self.kind in PREVIOUS_HEAD_IS_MEMBER
            else self.back
        )
        self._text.ask(TextPurpose.PREVIOUS_HEAD, self.draft.name, self._typed, on_cancel)

    def _typed(self, value: str) -> None:
        if not value.strip():
            self.ask_previous_head(self._head_done)
            return
        self.draft.member, self.draft.name = None, value
        self._head_done()

    def previous_head(self) -> PersonName | None:
        """The 旧世帯主 for the form (None when the kind does not name one)."""
        if self.kind not in NEEDS_PREVIOUS_HEAD:
            return None
        index, members = self.draft.member, self.visit.members
        if index is not None and index < len(members):
            return PersonName(members[index].name, members[index].furigana)
        return PersonName(self.draft.name) if self.draft.name else None
