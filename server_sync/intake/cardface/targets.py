"""Which cards of an accepted filing get a 追記 print, and the entry's text lines.

A member's My Number card when the kiosk marked 券面記載事項変更 (``card_tasks`` has
``surface_update``); a foreign member's 在留カード / 特別永住者証明書 when the ward writes those
(setting ``print_residence_cards``). Only moves into or within the ward (転入, 国外からの転入,
転居) change the address on a card.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.forms.model import CardTask, Filing, FilingKind, ForeignCategory, Member
from server_sync.intake.kihon.era import wareki

from .errors import NoCardFaceWorkError
from .settings import CardFaceSettings, CardType

#: 異動事由 as written in the 追記欄
REASONS = {
    FilingKind.MOVE_IN: "転入",
    FilingKind.MOVE_IN_FROM_ABROAD: "転入",
    FilingKind.MOVE_WITHIN: "転居",
}
_CARD_OF_CATEGORY = {
    ForeignCategory.MID_LONG_TERM: CardType.RESIDENCE,
    ForeignCategory.SPECIAL_PERMANENT: CardType.SPECIAL_PERMANENT,
}


@dataclass(frozen=True, slots=True)
class CardFaceJob:
    """One card to print: whose (member index), which card, and what to write."""

    member_index: int
    card: CardType
    reason: str  # 異動事由
    notified_on: str  # 届出日 in 和暦
    address: str  # 異動後の住所 (without the 方書)
    katagaki: str  # 方書 ("" when none)

    @property
    def file_name(self) -> str:
        """``<member index>.png`` for the My Number card, ``<index>-<card>.png`` for the others."""
        if self.card is CardType.MY_NUMBER:
            return f"{self.member_index}.png"
        return f"{self.member_index}-{self.card.value}.png"

    @property
    def key(self) -> str:
        """A stable id of this print within its filing (``0``, ``1-residence_card``)."""
        return self.file_name.removesuffix(".png")


def _cards_of(member: Member, settings: CardFaceSettings) -> list[CardType]:
    cards: list[CardType] = []
    if CardTask.SURFACE_UPDATE in member.card_tasks:
        cards.append(CardType.MY_NUMBER)
    foreign = member.foreign
    if settings.print_residence_cards and foreign is not None and foreign.residence_card_number:
        card = _CARD_OF_CATEGORY.get(foreign.category)
        if card is not None:
            cards.append(card)
    return cards


def _address_parts(filing: Filing) -> tuple[str, str]:
    address = filing.new_address
    katagaki = address.katagaki.strip()
    shown = address.display()
    if katagaki and shown.endswith(katagaki):
        shown = shown.removesuffix(katagaki).rstrip("\u3000 ")
    return shown, katagaki


def card_face_jobs(filing: Filing, settings: CardFaceSettings) -> list[CardFaceJob]:
    """Every card of the filing whose 追記欄 gets this move, in member order (may be empty)."""
    reason = REASONS.get(filing.kind)
    if reason is None or filing.new_address is None:
        return []
    address, katagaki = _address_parts(filing)
    return [
        CardFaceJob(index, card, reason, wareki(filing.notified_on), address, katagaki)
        for index, member in enumerate(filing.members)
        for card in _cards_of(member, settings)
    ]


def job_for(filing: Filing, settings: CardFaceSettings, key: str) -> CardFaceJob:
    """The print named ``key`` (``CardFaceJob.key``), or NoCardFaceWorkError."""
    for job in card_face_jobs(filing, settings):
        if job.key == key:
            return job
    raise NoCardFaceWorkError(f"no card-face print {key!r} in this filing")
