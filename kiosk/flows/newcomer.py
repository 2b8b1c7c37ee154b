"""The newcomer part (転入 only): per member 日本国籍 or not, then 本籍・筆頭者 or the 30条45 items,
and the フリガナ of a member read from a card (the card holds none).

Walks the members one after another once the household list is complete:

* ``NATIONALITY``: 日本国籍 / それ以外 — the kiosk cannot know it from the card;
* Japanese: ``HONSEKI`` — the prefecture picked, then the 市区町村 (by the kana row of its
  reading, from the national list), the rest typed, then the 筆頭者 (or "not known": the counter
  checks); "not in the list" types the city too, "not in the list / outside Japan" all of it;
* foreign: ``FOREIGN`` — 国籍・地域, 在留カード/特別永住者証明書 番号 (2 letters, 8 digits,
  2 letters, checked as typed), 在留資格, 在留期間満了日 (the date keypad), 区分, 通称;
* a member read from a card without a reading: the フリガナ, typed once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.flows.date_entry import DateEntry, DatePurpose
from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step, TextPurpose
from kiosk.flows.text_entry import TextEntry
from kiosk.flows.visit import PersonDraft, Visit
from kiosk.forms.model import ForeignCategory, ForeignResident, Honseki

#: 在留カード / 特別永住者証明書 番号: 2 letters, 8 digits, 2 letters (e.g. AB12345678CD)
RESIDENCE_CARD_RE = re.compile(r"[A-Z]{2}[0-9]{8}[A-Z]{2}")
#: full-width letters and digits typed on some keyboards, folded to ASCII before the check
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def normalise_card_number(text: str) -> str:
    """``ab 1234 5678 cd`` → ``AB12345678CD`` (spaces dropped, upper case, half width)."""
    return "".join(text.translate(_FULL_WIDTH).split()).upper()


class HonsekiLevel(StrEnum):
    """Where the 本籍 picker stands."""

    PREFECTURE = "prefecture"
    CITY = "city"


class Stage(StrEnum):
    """Where the walk over one member stands."""

    NATIONALITY = "nationality"
    HONSEKI = "honseki"
    FOREIGN = "foreign"
    FURIGANA = "furigana"


@dataclass(slots=True)
class ForeignDraft:
    """The 30条45 items as they are typed (checked by the rules once the filing is built)."""

    nationality: str = ""
    residence_card_number: str = ""
    status: str = ""
    period_ends_on: date | None = None
    category: ForeignCategory = ForeignCategory.MID_LONG_TERM
    alias: str = ""

    def __repr__(self) -> str:
        return "ForeignDraft(<personal data>)"

    @property
    def card_number_ok(self) -> bool:
        """The number has the 2+8+2 form (an empty number is left to the counter)."""
        number = self.residence_card_number
        return not number or RESIDENCE_CARD_RE.fullmatch(number) is not None

    @property
    def complete(self) -> bool:
        """Enough to go on: a nationality and a well-formed (or no) card number."""
        return bool(self.nationality.strip()) and self.card_number_ok

    def resident(self) -> ForeignResident:
        """The filing's 30条45 items."""
        return ForeignResident(
            nationality=self.nationality.strip(),
            category=self.category,
            residence_card_number=self.residence_card_number,
            status=self.status.strip(),
            period_ends_on=self.period_ends_on,
            alias=self.alias.strip(),
        )

    @classmethod
    def of(cls, resident: ForeignResident | None) -> ForeignDraft:
        """A draft from what was answered before (or empty)."""
        if resident is None:
            return cls()
        return cls(
            resident.nationality, resident.residence_card_number, resident.status,
            resident.period_ends_on, resident.category, resident.alias,
        )  # fmt: skip


class NewcomerPart:
    """``begin(done, back)`` walks every member; the screens call the answer methods."""

    def __init__(self, nav: Navigator, visit: Visit, text: TextEntry, dates: DateEntry) -> None:
        self._nav = nav
        self._visit = visit
        self._text = text
        self._dates = dates
        self.index = 0
        self.stage = Stage.NATIONALITY
        self.prefecture = ""
        self.honseki_level = HonsekiLevel.PREFECTURE
        #: the kana row the city list is filtered by ("" = none chosen)
        self.city_row = ""
        self._prefix = ""  # what was picked before the typed rest (prefecture, city)
        self.foreign = ForeignDraft()
        self._done: Callable[[], None] = lambda: None
        self._back: Callable[[], None] = lambda: None
        #: 本籍地利用登録: Japanese nationals only (called on "another nationality"), 本籍 required
        self._japanese_only: Callable[[], None] | None = None

    def clear(self) -> None:
        """Forget the walk (the visit ended)."""
        self.index = 0
        self.stage = Stage.NATIONALITY
        self.prefecture = ""
        self.honseki_level = HonsekiLevel.PREFECTURE
        self.city_row = self._prefix = ""
        self.foreign = ForeignDraft()
        self._done = self._back = lambda: None
        self._japanese_only = None

    @property
    def member(self) -> PersonDraft | None:
        """The member asked about now."""
        members = self._visit.members
        return members[self.index] if self.index < len(members) else None

    def begin(
        self,
        done: Callable[[], None],
        back: Callable[[], None],
        *,
        japanese_only: Callable[[], None] | None = None,
    ) -> None:
        """Ask about every member from the first; ``back`` from the first question.

        ``japanese_only`` (本籍地利用登録): "another nationality" calls it instead of asking the
        30条45 items, and the 本籍 is required (no "not known now").
        """
        self._done, self._back = done, back
        self._japanese_only = japanese_only
        self._ask(0)

    @property
    def honseki_required(self) -> bool:
        """The 本籍 must be given (the procedure needs it): "not known now" is not offered."""
        return self._japanese_only is not None

    def _ask(self, index: int) -> None:
        self.index = index
        if self.member is None:
            self._done()
            return
        self.stage = Stage.NATIONALITY
        self._nav.go(Step.NATIONALITY)

    def reask(self) -> None:
        """Back from 本籍 or the 30条45 items: this member's nationality question."""
        self._ask(self.index)

    def back(self) -> None:
        """From the nationality question: the previous member, or out of the walk."""
        if self.index == 0:
            self._back()
        else:
            self._ask(self.index - 1)

    # ------------------------------------------------------------------ nationality

    def set_japanese(self, japanese: bool) -> None:
        """日本国籍 (→ 本籍) or not (→ the 30条45 items)."""
        member = self.member
        if member is None:
            return
        member.japanese = japanese
        if not japanese and self._japanese_only is not None:
            self._japanese_only()
            return
        if japanese:
            member.foreign = None
            self.prefecture = self.city_row = ""
            self.honseki_level = HonsekiLevel.PREFECTURE
            self.stage = Stage.HONSEKI
            self._nav.go(Step.HONSEKI)
        else:
            member.honseki = None
            self.foreign = ForeignDraft.of(member.foreign)
            self.stage = Stage.FOREIGN
            self._nav.go(Step.FOREIGN)

    # ------------------------------------------------------------------ 本籍・筆頭者

    def pick_prefecture(self, prefecture: str) -> None:
        """The prefecture of the 本籍; then its 市区町村 from the list."""
        self.prefecture = prefecture
        self.city_row = ""
        self.honseki_level = HonsekiLevel.CITY
        self._nav.go(Step.HONSEKI)

    def pick_city_row(self, row: str) -> None:
        """Show the places whose reading starts in kana ``row`` ("" shows all)."""
        self.city_row = row
        self._nav.refresh()

    def pick_city(self, name: str) -> None:
        """The 市区町村 from the list; then the rest (町名・番地) on the keyboard."""
        self._ask_rest(TextPurpose.HONSEKI_REST, self.prefecture + name)

    def city_not_listed(self) -> None:
        """The city is not in the list: the city and the rest typed after the prefecture."""
        self._ask_rest(TextPurpose.HONSEKI, self.prefecture)

    def honseki_free(self) -> None:
        """Not in the list / outside Japan: the whole 本籍 typed."""
        self._ask_rest(TextPurpose.HONSEKI_FREE, "")

    def honseki_back(self) -> None:
        """From the city list to the prefectures; from the prefectures to the nationality."""
        if self.honseki_level is HonsekiLevel.CITY:
            self.honseki_level = HonsekiLevel.PREFECTURE
            self.city_row = ""
            self._nav.go(Step.HONSEKI)
        else:
            self.reask()

    def _ask_rest(self, purpose: TextPurpose, prefix: str) -> None:
        self._prefix = prefix
        member = self.member
        old = member.honseki.address if member is not None and member.honseki else ""
        rest = old.removeprefix(prefix) if prefix and old.startswith(prefix) else ""
        if purpose is TextPurpose.HONSEKI_FREE:
            rest = old
        self._text.ask(purpose, rest, self._honseki_typed, self._show_honseki)

    def _show_honseki(self) -> None:
        self._nav.go(Step.HONSEKI)

    def _honseki_typed(self, rest: str) -> None:
        if not rest.strip():
            self._show_honseki()  # the rest is needed once a place was picked
            return
        address = self._prefix + rest.strip()
        member = self.member
        head = member.honseki.head_of_register if member is not None and member.honseki else ""

        def head_typed(name: str) -> None:
            if self.member is not None:
                self.member.honseki = Honseki(address, name)
            self._next_after_origin()

        self._text.ask(TextPurpose.HEAD_OF_REGISTER, head, head_typed, self._show_honseki)

    def honseki_keep(self) -> None:
        """The 本籍 answered before stays (back from the review)."""
        self._next_after_origin()

    def honseki_unknown(self) -> None:
        """Not known now: the counter checks (the filing says so)."""
        if self.honseki_required:
            return
        if self.member is not None:
            self.member.honseki = None
        self._next_after_origin()

    # ------------------------------------------------------------------ 30条45

    def _show_foreign(self) -> None:
        self._nav.go(Step.FOREIGN)

    def _typed(self, purpose: TextPurpose, value: str, store: Callable[[str], None]) -> None:
        def done(text: str) -> None:
            store(text)
            self._show_foreign()

        self._text.ask(purpose, value, done, self._show_foreign)

    def edit_nationality(self) -> None:
        """国籍・地域 on the keyboard."""
        self._typed(TextPurpose.NATIONALITY, self.foreign.nationality,
                    lambda v: setattr(self.foreign, "nationality", v))  # fmt: skip

    def edit_card_number(self) -> None:
        """The 在留カード / 特別永住者証明書 number (checked on the form screen)."""
        self._typed(
            TextPurpose.RESIDENCE_CARD, self.foreign.residence_card_number,
            lambda v: setattr(self.foreign, "residence_card_number", normalise_card_number(v)),
        )  # fmt: skip

    def choose_status(self, status: str) -> None:
        """A 在留資格 from the list."""
        self.foreign.status = status
        self._nav.refresh()

    def edit_status(self) -> None:
        """Another 在留資格, typed."""
        self._typed(TextPurpose.RESIDENCE_STATUS, self.foreign.status,
                    lambda v: setattr(self.foreign, "status", v))  # fmt: skip

    def choose_category(self, category: ForeignCategory) -> None:
        """The 30条45 区分."""
        self.foreign.category = category
        self._nav.refresh()

    def edit_period(self) -> None:
        """在留期間満了日 on the date keypad."""

        def done(value: date) -> None:
            self.foreign.period_ends_on = value
            self._show_foreign()

        self._dates.ask(
            DatePurpose.PERIOD_ENDS_ON, self.foreign.period_ends_on, done, self._show_foreign
        )

    def edit_alias(self) -> None:
        """通称 (only if one is registered)."""
        self._typed(TextPurpose.ALIAS, self.foreign.alias,
                    lambda v: setattr(self.foreign, "alias", v))  # fmt: skip

    def foreign_done(self) -> None:
        """The items are in (a malformed card number stays on the screen, shown)."""
        member = self.member
        if member is None or not self.foreign.complete:
            self._nav.refresh()
            return
        member.foreign = self.foreign.resident()
        self._next_after_origin()

    # ------------------------------------------------------------------ フリガナ

    def _next_after_origin(self) -> None:
        member = self.member
        if member is not None and member.from_chip and not member.furigana.strip():
            self.stage = Stage.FURIGANA
            self._text.ask(
                TextPurpose.MEMBER_FURIGANA, "", self._furigana_typed, self._back_to_origin
            )
            return
        self._ask(self.index + 1)

    def _furigana_typed(self, value: str) -> None:
        if self.member is not None:
            self.member.furigana = value
        self._ask(self.index + 1)

    def _back_to_origin(self) -> None:
        member = self.member
        if member is not None and member.japanese:
            self._show_honseki()
        else:
            self._show_foreign()
