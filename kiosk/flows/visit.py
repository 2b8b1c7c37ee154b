"""The people of one visit and the procedure drafts (personal data: wiped when the visit ends).

``Visit`` holds who files and who moves (cards read, members typed); each procedure keeps what it
asks for in its own draft (``PlaceDraft`` and subclasses), built into its ``Filing`` there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from kiosk.forms.kinds import HouseholdMode

if TYPE_CHECKING:
    # only annotated here: the records load with the visit's parts (start-up time, issue 14)
    from kiosk.forms.kinds import Answer, FilingKind, RelatedProcedure, Sex
    from kiosk.forms.model import Address, ForeignResident, Honseki
    from kiosk.forms.relationship import Relationship


@dataclass(slots=True)
class PersonDraft:
    """A mover as collected so far (from a card or typed by hand)."""

    name: str = ""
    furigana: str = ""
    birth_date: date | None = None
    sex: Sex | None = None
    relationship: Relationship | None = None
    from_chip: bool = False
    card_address: str = ""
    #: 転入: None until asked (日本国籍 / それ以外); then 本籍 or the 30条45 items
    japanese: bool | None = None
    honseki: Honseki | None = None
    foreign: ForeignResident | None = None

    def __repr__(self) -> str:
        return f"PersonDraft(<personal data>, from_chip={self.from_chip})"

    @property
    def complete(self) -> bool:
        """True when name, birth date and sex are known."""
        return bool(self.name.strip()) and self.birth_date is not None and self.sex is not None


class SecretPin:
    """A PIN held as a mutable buffer so it can be overwritten, never printed."""

    __slots__ = ("_buf",)

    def __init__(self) -> None:
        self._buf = bytearray()

    def set(self, digits: str) -> None:
        """Replace the held PIN."""
        self.wipe()
        self._buf.extend(digits.encode("ascii"))

    def reveal(self) -> str:
        """The PIN, for the one card call that needs it."""
        return self._buf.decode("ascii")

    def __bool__(self) -> bool:
        return bool(self._buf)

    def wipe(self) -> None:
        """Overwrite and forget."""
        for i in range(len(self._buf)):
            self._buf[i] = 0
        self._buf.clear()

    def __repr__(self) -> str:
        return "SecretPin(<hidden>)"


@dataclass(slots=True)
class Visit:
    """Everything the resident entered or the cards returned during one visit."""

    language: str = "ja"
    kind: FilingKind | None = None
    members: list[PersonDraft] = field(default_factory=list)
    household_mode: HouseholdMode = HouseholdMode.WHOLE
    existing_head: str = ""
    head_index: int | None = None
    old_address: str = ""
    pin: SecretPin = field(default_factory=SecretPin)
    auth_certificate: bytes = b""
    filing_id: str = ""
    submitted: bool = False

    def __repr__(self) -> str:
        return f"Visit(<personal data>, kind={self.kind}, members={len(self.members)})"

    def wipe(self) -> None:
        """Forget everything personal (and the PIN) in place."""
        self.pin.wipe()
        for member in self.members:
            member.name = member.furigana = member.card_address = ""
            member.birth_date = None
            member.honseki = member.foreign = None
        self.members.clear()
        self.kind = None
        self.household_mode = HouseholdMode.WHOLE
        self.existing_head = ""
        self.head_index = None
        self.old_address = ""
        self.auth_certificate = b""
        self.filing_id = ""
        self.submitted = False

    def personal_strings(self) -> list[str]:
        """Every personal text held (for the privacy checks of the tests and the idle reset)."""
        out = [self.existing_head, self.old_address]
        for m in self.members:
            out += [m.name, m.furigana, m.card_address]
            if m.honseki is not None:
                out += [m.honseki.address, m.honseki.head_of_register]
            if m.foreign is not None:
                out += [m.foreign.residence_card_number, m.foreign.alias]
        return [s for s in out if s]


@dataclass(slots=True)
class PlaceDraft:
    """Where and when: the new address (+ 方書), the date, the related-procedure answers."""

    new_address: Address | None = None
    katagaki: str = ""
    moved_on: date | None = None
    answers: dict[RelatedProcedure, Answer] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<personal data>)"

    def wipe(self) -> None:
        """Forget everything in place."""
        self.new_address = None
        self.katagaki = ""
        self.moved_on = None
        self.answers.clear()

    def personal_strings(self) -> list[str]:
        """Every personal text held."""
        out = [self.katagaki]
        if self.new_address is not None:
            out.append(self.new_address.display())
        return [s for s in out if s]
