"""The filing's closed sets (異動の種類, 届出人の資格, 性別, …): string enums with Japanese names.

Split from ``kiosk.forms.model`` (which re-exports every name here) so that the welcome screen's
path imports the kinds without the model's frozen records (start-up time, issue 14).
"""

from __future__ import annotations

from enum import StrEnum


class FilingKind(StrEnum):
    """異動の種類 (maps 1:1 to the standard's 異動事由)."""

    MOVE_IN = "move_in"  # 転入
    MOVE_IN_FROM_ABROAD = "move_in_from_abroad"  # 国外からの転入
    MOVE_WITHIN = "move_within"  # 転居
    MOVE_OUT = "move_out"  # 転出
    HEAD_CHANGE = "head_change"  # 世帯主変更
    HOUSEHOLD_SPLIT = "household_split"  # 世帯分離
    HOUSEHOLD_MERGE = "household_merge"  # 世帯合併
    HOUSEHOLD_RESTRUCTURE = "household_restructure"  # 世帯構成変更
    SEAL_CARD_BINDING = "seal_card_binding"  # マイナンバーカードを印鑑登録証として利用する申請
    HONSEKI_CONVENIENCE_REGISTRATION = "honseki_convenience_registration"  # 本籍地利用登録申請

    @property
    def label_ja(self) -> str:
        """The Japanese name printed on the form."""
        return _KIND_JA[self]

    @property
    def moves_into_ward(self) -> bool:
        """True when the new address must be an address of this ward (in the master)."""
        return self in _INTO_WARD

    @property
    def is_household_change(self) -> bool:
        """True for the four 世帯変更 kinds (nobody changes address)."""
        return self in _HOUSEHOLD_CHANGES

    @property
    def is_card_procedure(self) -> bool:
        """True for the card procedures (one card holder, no address, the card's signature)."""
        return self in CARD_PROCEDURE_KINDS


_KIND_JA = {
    FilingKind.MOVE_IN: "転入",
    FilingKind.MOVE_IN_FROM_ABROAD: "国外からの転入",
    FilingKind.MOVE_WITHIN: "転居",
    FilingKind.MOVE_OUT: "転出",
    FilingKind.HEAD_CHANGE: "世帯主変更",
    FilingKind.HOUSEHOLD_SPLIT: "世帯分離",
    FilingKind.HOUSEHOLD_MERGE: "世帯合併",
    FilingKind.HOUSEHOLD_RESTRUCTURE: "世帯構成変更",
    FilingKind.SEAL_CARD_BINDING: "マイナンバーカードを印鑑登録証として利用する申請",
    FilingKind.HONSEKI_CONVENIENCE_REGISTRATION: "本籍地利用登録申請",
}
#: the card procedures: no address, no household, the 利用者証明用 certificate's signature required
CARD_PROCEDURE_KINDS = frozenset(
    {FilingKind.SEAL_CARD_BINDING, FilingKind.HONSEKI_CONVENIENCE_REGISTRATION}
)
_INTO_WARD = frozenset({FilingKind.MOVE_IN, FilingKind.MOVE_IN_FROM_ABROAD, FilingKind.MOVE_WITHIN})
_HOUSEHOLD_CHANGES = frozenset(
    {
        FilingKind.HEAD_CHANGE,
        FilingKind.HOUSEHOLD_SPLIT,
        FilingKind.HOUSEHOLD_MERGE,
        FilingKind.HOUSEHOLD_RESTRUCTURE,
    }
)


class Standing(StrEnum):
    """届出人の資格."""

    SELF = "self"  # 本人
    HEAD = "head"  # 世帯主
    HOUSEHOLD_MEMBER = "household_member"  # 同一世帯員
    PROXY = "proxy"  # 任意代理人 (委任状)
    LEGAL_REPRESENTATIVE = "legal_representative"  # 法定代理人

    @property
    def label_ja(self) -> str:
        """The Japanese name printed on the form."""
        return _STANDING_JA[self]


_STANDING_JA = {
    Standing.SELF: "本人",
    Standing.HEAD: "世帯主",
    Standing.HOUSEHOLD_MEMBER: "同一世帯員",
    Standing.PROXY: "任意代理人",
    Standing.LEGAL_REPRESENTATIVE: "法定代理人",
}


class Sex(StrEnum):
    """性別 as on the card (card text "1" = male, "2" = female)."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label_ja(self) -> str:
        """男 / 女."""
        return "男" if self is Sex.MALE else "女"


class AddressScheme(StrEnum):
    """How an address is numbered."""

    RESIDENTIAL = "residential"  # 住居表示: 街区符号 + 住居番号
    PARCEL = "parcel"  # 地番
    FREE_TEXT = "free_text"  # unstructured (card address, 転出先, abroad)


class HouseholdMode(StrEnum):
    """全部 (the movers form their own household) or 一部 (they join an existing one)."""

    WHOLE = "whole"  # 全部
    JOIN = "join"  # 一部: declared existing 世帯主, 続柄 relative to that person


class CardTask(StrEnum):
    """My Number card work the clerk must do at the counter."""

    CONTINUED_USE = "continued_use"  # 継続利用
    SURFACE_UPDATE = "surface_update"  # 券面記載事項変更
    SIGNATURE_CERTIFICATE = "signature_certificate"  # 署名用電子証明書 (re-)issue

    @property
    def label_ja(self) -> str:
        """The Japanese name printed on the form."""
        return _CARD_TASK_JA[self]


_CARD_TASK_JA = {
    CardTask.CONTINUED_USE: "継続利用",
    CardTask.SURFACE_UPDATE: "券面記載事項変更",
    CardTask.SIGNATURE_CERTIFICATE: "署名用電子証明書",
}


class RelatedProcedure(StrEnum):
    """関連手続き the interview asks about."""

    NATIONAL_HEALTH_INSURANCE = "national_health_insurance"  # 国保
    NATIONAL_PENSION = "national_pension"  # 年金
    LONG_TERM_CARE = "long_term_care"  # 介護
    LATE_ELDERLY_MEDICAL = "late_elderly_medical"  # 後期高齢
    CHILD_ALLOWANCE = "child_allowance"  # 児童手当
    SCHOOL_ENROLMENT = "school_enrolment"  # 就学
    SEAL_REGISTRATION = "seal_registration"  # 印鑑登録

    @property
    def label_ja(self) -> str:
        """The Japanese name printed on the form."""
        return _RELATED_JA[self]


_RELATED_JA = {
    RelatedProcedure.NATIONAL_HEALTH_INSURANCE: "国民健康保険",
    RelatedProcedure.NATIONAL_PENSION: "国民年金",
    RelatedProcedure.LONG_TERM_CARE: "介護保険",
    RelatedProcedure.LATE_ELDERLY_MEDICAL: "後期高齢者医療",
    RelatedProcedure.CHILD_ALLOWANCE: "児童手当",
    RelatedProcedure.SCHOOL_ENROLMENT: "就学",
    RelatedProcedure.SEAL_REGISTRATION: "印鑑登録",
}


class MoveOutRoute(StrEnum):
    """How the movers left the old municipality (転入 only; domain-procedures §1.1)."""

    CERTIFICATE = "certificate"  # 通常転出: paper 転出証明書
    CARD = "card"  # 特例転出 with a My Number card (counter or post)
    ONLINE = "online"  # マイナポータル 転出 (引越しワンストップ)
    ABROAD = "abroad"  # 国外転出 (returning from abroad)

    @property
    def label_ja(self) -> str:
        """The Japanese name printed on the form."""
        return _ROUTE_JA[self]

    @property
    def is_card_route(self) -> bool:
        """True for the two routes that lead to 特例転入 (card and online)."""
        return self in (MoveOutRoute.CARD, MoveOutRoute.ONLINE)


_ROUTE_JA = {
    MoveOutRoute.CERTIFICATE: "転出証明書",
    MoveOutRoute.CARD: "特例転出（マイナンバーカード）",
    MoveOutRoute.ONLINE: "マイナポータル転出",
    MoveOutRoute.ABROAD: "国外転出",
}


class ForeignCategory(StrEnum):
    """住基法 §30の45 区分 of a foreign resident."""

    MID_LONG_TERM = "mid_long_term"  # 中長期在留者 (在留カード)
    SPECIAL_PERMANENT = "special_permanent"  # 特別永住者 (特別永住者証明書)
    TEMPORARY_REFUGE = "temporary_refuge"  # 一時庇護許可者
    PROVISIONAL_STAY = "provisional_stay"  # 仮滞在許可者
    TRANSITIONAL = "transitional"  # 経過滞在者 (出生・国籍喪失)

    @property
    def label_ja(self) -> str:
        """The Japanese name printed on the form."""
        return _CATEGORY_JA[self]

    @property
    def has_card_number(self) -> bool:
        """True when the category carries a 在留カード / 特別永住者証明書 number."""
        return self in (ForeignCategory.MID_LONG_TERM, ForeignCategory.SPECIAL_PERMANENT)


_CATEGORY_JA = {
    ForeignCategory.MID_LONG_TERM: "中長期在留者",
    ForeignCategory.SPECIAL_PERMANENT: "特別永住者",
    ForeignCategory.TEMPORARY_REFUGE: "一時庇護許可者",
    ForeignCategory.PROVISIONAL_STAY: "仮滞在許可者",
    ForeignCategory.TRANSITIONAL: "経過滞在者",
}


class Answer(StrEnum):
    """An answer to a related-procedure question."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"  # the clerk asks at the counter
