"""The filing model: a 住民異動届 as frozen records (no PIN, no 個人番号 — by design)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kiosk.forms.kinds import (
    CARD_PROCEDURE_KINDS,
    AddressScheme,
    Answer,
    CardTask,
    FilingKind,
    ForeignCategory,
    HouseholdMode,
    MoveOutRoute,
    RelatedProcedure,
    Sex,
    Standing,
)
from kiosk.forms.relationship import Relationship

#: the records below, and the kinds re-exported from ``kiosk.forms.kinds`` (where the welcome
#: screen's path imports them from, without these records: start-up time, issue 14)
__all__ = [
    "Address",
    "CardCertificate",
    "Filer",
    "Filing",
    "ForeignResident",
    "Honseki",
    "Household",
    "KATAGAKI_SEPARATOR",
    "Member",
    "NO_ADDRESS",
    "OriginHousehold",
    "PersonName",
    "RelatedAnswer",
    "SealCard",
    "parcel_display",
    # kiosk.forms.kinds
    "AddressScheme",
    "Answer",
    "CARD_PROCEDURE_KINDS",
    "CardTask",
    "FilingKind",
    "ForeignCategory",
    "HouseholdMode",
    "MoveOutRoute",
    "RelatedProcedure",
    "Sex",
    "Standing",
]

KATAGAKI_SEPARATOR = "\u3000"  # full-width space between the address and the 方書


def parcel_display(chiban: str) -> str:
    """``"12-3"`` → ``"12番地3"``, ``"12"`` → ``"12番地"``, ``"12-3-1"`` → ``"12番地3-1"``."""
    head, _, rest = chiban.partition("-")
    return f"{head}番地{rest}"


@dataclass(frozen=True, slots=True)
class Address:
    """An address: structured (from the master) or free text (card address, 転出先, abroad)."""

    scheme: AddressScheme
    prefecture: str = ""
    city: str = ""  # 市区町村 incl. ward, e.g. "新宿区"
    lg_code: str = ""  # 全国地方公共団体コード (6 digits)
    machiaza_id: str = ""  # ABR 町字ID (7 digits)
    town: str = ""  # 町字 incl. 丁目, e.g. "新宿三丁目"
    block: str = ""  # 街区符号 (住居表示), e.g. "5"
    residence: str = ""  # 住居番号, e.g. "2" or "2-1" (with 住居番号2)
    chiban: str = ""  # 地番, e.g. "12-3"
    katagaki: str = ""  # 方書 (building + room), e.g. "新宿ハイツ302号室"
    katagaki_listed: bool = False  # True if the building was picked from the 方書 master
    postal_code: str = ""  # 7 digits, no hyphen
    free_text: str = ""  # the whole address when not structured
    country: str = ""  # for addresses abroad (国外)

    def display(self) -> str:
        """The 住所 string as printed (方書 after a full-width space)."""
        if self.scheme is AddressScheme.FREE_TEXT:
            base = self.free_text
            if self.country and self.country not in base:
                base = f"{self.country} {base}".strip()
        elif self.scheme is AddressScheme.RESIDENTIAL:
            base = f"{self.prefecture}{self.city}{self.town}{self.block}番{self.residence}号"
        else:
            base = f"{self.prefecture}{self.city}{self.town}{parcel_display(self.chiban)}"
        return f"{base}{KATAGAKI_SEPARATOR}{self.katagaki}" if self.katagaki else base


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person known only by name (the existing 世帯主 of a household being joined)."""

    name: str
    furigana: str = ""


@dataclass(frozen=True, slots=True)
class Honseki:
    """本籍・筆頭者 of a Japanese national (住民票 「戸籍の表示」; "なし"/"不明" allowed)."""

    address: str  # 本籍
    head_of_register: str = ""  # 筆頭者


@dataclass(frozen=True, slots=True)
class ForeignResident:
    """The 住基法 §30の45 items of a foreign resident (from the 在留カード / 特別永住者証明書)."""

    nationality: str  # 国籍・地域
    category: ForeignCategory = ForeignCategory.MID_LONG_TERM  # 30条45区分
    residence_card_number: str = ""  # 在留カード / 特別永住者証明書 番号, e.g. "AB12345678CD"
    status: str = ""  # 在留資格
    period_ends_on: date | None = None  # 在留期間の満了の日 (西暦)
    alias: str = ""  # 通称 (only if registered)


@dataclass(frozen=True, slots=True)
class Member:
    """One person in the filing (異動者 or, for 世帯変更, a member of the household)."""

    name: str
    furigana: str  # katakana
    birth_date: date
    sex: Sex
    relationship: Relationship  # to the resulting 世帯主
    from_chip: bool = False  # name/birth/sex read from this member's own card
    card_tasks: frozenset[CardTask] = frozenset()
    honseki: Honseki | None = None  # Japanese nationals (転入); None = not declared
    foreign: ForeignResident | None = None  # foreign residents; None = Japanese national


@dataclass(frozen=True, slots=True)
class OriginHousehold:
    """The household the movers leave when only part of it moves (一部転出 / 一部転居).

    ``remaining_head`` is the 世帯主 of the members who stay — required when the 世帯主 leaves and
    two or more stay (one stayer becomes 世帯主 automatically); ``staying`` counts the stayers
    (0 = not declared).
    """

    remaining_head: PersonName | None = None
    staying: int = 0
    #: how many of the stayers are under 15 (one adult + children: that adult becomes 世帯主
    #: automatically, no 世帯主変更 [HAMADA-S]); 0 = none or not declared
    staying_children: int = 0


@dataclass(frozen=True, slots=True)
class Household:
    """The resulting household: 全部 (a 世帯主 among the members) or 一部 (join a declared one)."""

    mode: HouseholdMode = HouseholdMode.WHOLE
    existing_head: PersonName | None = None  # required for JOIN
    previous_head: PersonName | None = None  # 旧世帯主, where the form shows it
    origin: OriginHousehold | None = None  # None = everybody of the old household moves (全部)


@dataclass(frozen=True, slots=True)
class Filer:
    """届出人: who files, in what standing; ``member_index`` if they are one of the members."""

    name: str
    standing: Standing
    furigana: str = ""
    member_index: int | None = None
    address: Address | None = None  # for filers who are not members (proxies)
    from_chip: bool = False
    phone: str = ""  # the filer's own phone (proxies); the filing's ``phone`` otherwise
    power_of_attorney_dated: date | None = None  # 委任状 作成日 (任意代理人; None = not asked)


@dataclass(frozen=True, slots=True)
class RelatedAnswer:
    """One answered related-procedure question."""

    procedure: RelatedProcedure
    answer: Answer


@dataclass(frozen=True, slots=True)
class SealCard:
    """印鑑登録証としての利用: what the resident states (the 印鑑登録番号 is the clerk's)."""

    seal_registered: bool = True  # a seal is registered in this ward


@dataclass(frozen=True, slots=True)
class CardCertificate:
    """The 利用者証明用 certificate the card signs with, as the kiosk read it (no PIN, no 個人番号).

    Printed on the request for the clerk; the intake takes issuer, serial and notAfter from the
    verified certificate in the signed envelope, never from here.
    """

    serial: str  # lowercase hex without leading zeros (as server_sync.intake.verify formats it)
    issuer: str  # RFC 4514 string of the issuing CA
    not_after: date  # last day of validity (UTC)


@dataclass(frozen=True, slots=True)
class Filing:
    """A complete 住民異動届 as filed at the kiosk."""

    id: str  # UUIDv7 (kiosk.forms.ids.new_filing_id)
    ward_code: str  # lg_code of the ward receiving the filing
    kind: FilingKind
    notified_on: date  # 届出日
    moved_on: date  # 異動日: the day they started living at the new address (転出: planned date)
    filer: Filer
    new_address: Address  # 転出: the destination (free text allowed)
    members: tuple[Member, ...]
    created_at: datetime  # timezone-aware
    old_address: Address | None = None  # from the card; None for 国外からの転入 without one
    household: Household = field(default_factory=Household)
    related: tuple[RelatedAnswer, ...] = ()
    phone: str = ""
    language: str = "ja"  # UI language of the visit (BCP 47 tag)
    move_out_route: MoveOutRoute | None = None  # 転入: how they left (None = not asked)
    planned_move_out_on: date | None = None  # 転入: 転出予定日 declared at the old municipality
    #: 国外転出: staying abroad for one year or more (None = not asked)
    abroad_for_one_year_or_more: bool | None = None
    #: 印鑑登録証としての利用 (``seal_card_binding``): the resident's statement
    seal_card: SealCard | None = None
    #: card procedures: the certificate the card signs with (None = not read / not signed)
    card_certificate: CardCertificate | None = None

    @property
    def head_member(self) -> Member | None:
        """The member recorded as 世帯主, if any."""
        return next((m for m in self.members if m.relationship.is_head), None)

    @property
    def head_name(self) -> str:
        """The name of the resulting 世帯主 (declared existing head for 一部)."""
        if self.household.mode is HouseholdMode.JOIN and self.household.existing_head:
            return self.household.existing_head.name
        head = self.head_member
        return head.name if head else ""

    def answer(self, procedure: RelatedProcedure) -> Answer | None:
        """The answer given for one related procedure, if asked."""
        return next((a.answer for a in self.related if a.procedure is procedure), None)


#: "no address": a 世帯変更 carries none (JSON ``null`` in format 2)
NO_ADDRESS = Address(AddressScheme.FREE_TEXT)
