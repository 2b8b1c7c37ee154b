"""Form labels: Japanese always, the visit language beside it when that is not Japanese.

One dict per language keyed by :class:`Label`; add a language with :func:`register_language`
(the app's gettext catalogs can feed this table). Missing keys fall back to English.
"""

from __future__ import annotations

import json
from enum import StrEnum
from importlib import resources

from kiosk.forms.model import (
    Answer,
    CardTask,
    FilingKind,
    RelatedProcedure,
    Sex,
    Standing,
)

#: label tables of other languages live in kiosk/forms/data/labels_<tag>.json
LABEL_FILE_PREFIX = "labels_"


def term(value: StrEnum) -> str:
    """Table key for a value of a model enum (``Sex.MALE`` → ``"Sex.male"``), kept apart from
    the Label keys so that e.g. ``Standing.HEAD`` and ``Label.HEAD`` never collide."""
    return f"{type(value).__name__}.{value.value}"


def _key(key: str) -> str:
    if isinstance(key, StrEnum) and not isinstance(key, Label):
        return term(key)
    return str(key)


class Label(StrEnum):
    """Every caption printed on the receipt or the PDF."""

    TITLE = "title"
    KIND = "kind"
    FILING_ID = "filing_id"
    NOTIFIED_ON = "notified_on"
    MOVED_ON = "moved_on"
    MOVE_OUT_ON = "move_out_on"
    ADDRESS = "address"
    NEW_ADDRESS = "new_address"
    DESTINATION = "destination"
    OLD_ADDRESS = "old_address"
    HEAD = "head"
    OLD_HEAD = "old_head"
    HOUSEHOLD = "household"
    MEMBERS = "members"
    NAME = "name"
    FURIGANA = "furigana"
    BIRTH_DATE = "birth_date"
    SEX = "sex"
    RELATIONSHIP = "relationship"
    CARD_TASKS = "card_tasks"
    FILER = "filer"
    FILER_ADDRESS = "filer_address"
    STANDING = "standing"
    PHONE = "phone"
    RELATED = "related"
    SIGNATURE = "signature"
    SIGNATURE_NOTE = "signature_note"
    CLERK = "clerk"
    RECEPTION = "reception"
    ENTRY = "entry"
    REVIEW = "review"
    MISSING_CHARS = "missing_chars"
    MISSING_GLYPH = "missing_glyph"
    MISSING_VARIANT = "missing_variant"
    OUTSIDE_JIS = "outside_jis"
    CODES = "codes"
    WHOLE = "whole"
    JOIN = "join"
    # version 2: the 控え, the counter ticket, the 確認事項 box and the new form fields
    RECEIPT_NO = "receipt_no"
    COPY_TITLE = "copy_title"
    PROCEDURE = "procedure"
    COUNTER = "counter"
    COUNTER_NAME = "counter_name"
    BRING = "bring"
    BRING_ID = "bring_id"
    BRING_CARDS = "bring_cards"
    BRING_CERTIFICATE = "bring_certificate"
    BRING_RESIDENCE_CARD = "bring_residence_card"
    BRING_POWER_OF_ATTORNEY = "bring_power_of_attorney"
    BRING_LEGAL_PROOF = "bring_legal_proof"
    BRING_RELATION_PROOF = "bring_relation_proof"
    BRING_PASSPORTS = "bring_passports"
    BRING_KOSEKI = "bring_koseki"
    BRING_CONSENT = "bring_consent"
    TICKET = "ticket"
    PIN = "pin"
    PIN_JUKI = "pin_juki"
    PIN_SIGNATURE = "pin_signature"
    NONE = "none"
    CHECKS = "checks"
    ROUTE = "route"
    PLANNED_MOVE_OUT = "planned_move_out"
    REMAINING_HEAD = "remaining_head"
    HONSEKI = "honseki"
    FOREIGN = "foreign"
    CONTINUED = "continued"
    NO_ADDRESS_CHANGE = "no_address_change"
    # the answers added late in issue 11: 国外転出, 委任状の日付, the remaining household
    ABROAD_YEAR = "abroad_year"
    NOT_ANSWERED = "not_answered"
    POWER_OF_ATTORNEY_DATED = "power_of_attorney_dated"
    STAYING = "staying"
    # the card procedures' request (issue 13)
    CARD_REQUEST_TITLE = "card_request_title"
    APPLIED_ON = "applied_on"
    APPLICANT = "applicant"
    CARD_ADDRESS = "card_address"
    SEAL_STATEMENT = "seal_statement"
    SEAL_REGISTERED = "seal_registered"
    SEAL_NUMBER = "seal_number"
    RESIDENT_ID = "resident_id"
    CERTIFICATE = "certificate"
    CERT_SERIAL = "cert_serial"
    CERT_NOT_AFTER = "cert_not_after"
    CERT_ISSUER = "cert_issuer"
    CARD_SIGNED = "card_signed"
    APPLICANT_SIGNATURE = "applicant_signature"


JA: dict[str, str] = {
    Label.TITLE: "住民異動届",
    Label.KIND: "異動の種類",
    Label.FILING_ID: "整理番号",
    Label.NOTIFIED_ON: "届出日",
    Label.MOVED_ON: "異動日",
    Label.MOVE_OUT_ON: "転出予定日",
    Label.ADDRESS: "住所",
    Label.NEW_ADDRESS: "新住所",
    Label.DESTINATION: "転出先",
    Label.OLD_ADDRESS: "旧住所",
    Label.HEAD: "世帯主",
    Label.OLD_HEAD: "旧世帯主",
    Label.HOUSEHOLD: "世帯",
    Label.MEMBERS: "異動者",
    Label.NAME: "氏名",
    Label.FURIGANA: "フリガナ",
    Label.BIRTH_DATE: "生年月日",
    Label.SEX: "性別",
    Label.RELATIONSHIP: "続柄",
    Label.CARD_TASKS: "カード手続",
    Label.FILER: "届出人",
    Label.FILER_ADDRESS: "届出人住所",
    Label.STANDING: "資格",
    Label.PHONE: "電話番号",
    Label.RELATED: "関連手続",
    Label.SIGNATURE: "届出人署名",
    Label.SIGNATURE_NOTE: "窓口で自署してください",
    Label.CLERK: "職員記入欄",
    Label.RECEPTION: "受付",
    Label.ENTRY: "入力",
    Label.REVIEW: "審査",
    Label.MISSING_CHARS: "印字できない文字（職員確認）",
    Label.MISSING_GLYPH: "字形なし",
    Label.MISSING_VARIANT: "異体字を基本字形で表示",
    Label.OUTSIDE_JIS: "JIS第2水準外の文字（住記で字形確認）",
    Label.CODES: "二次元コード",
    Label.WHOLE: "全部",
    Label.JOIN: "一部（既存世帯へ）",
    Label.RECEIPT_NO: "受付番号",
    Label.COPY_TITLE: "控え（お客様用）",
    Label.PROCEDURE: "手続",
    Label.COUNTER: "窓口",
    Label.COUNTER_NAME: "住民記録の窓口へお持ちください",
    Label.BRING: "お持ちいただくもの",
    Label.BRING_ID: "本人確認書類（マイナンバーカード・運転免許証・在留カードなど）",
    Label.BRING_CARDS: "異動する方全員のマイナンバーカード",
    Label.BRING_CERTIFICATE: "転出証明書（原本）",
    Label.BRING_RESIDENCE_CARD: "在留カード・特別永住者証明書",
    Label.BRING_POWER_OF_ATTORNEY: "委任状（原本）",
    Label.BRING_LEGAL_PROOF: "法定代理人の資格を証明する書類",
    Label.BRING_RELATION_PROOF: "続柄を証明する書類と日本語訳",
    Label.BRING_PASSPORTS: "全員のパスポート",
    Label.BRING_KOSEKI: "戸籍謄本・戸籍の附票",
    Label.BRING_CONSENT: "世帯主の同意書",
    Label.TICKET: "窓口でのカード手続",
    Label.PIN: "暗証番号",
    Label.PIN_JUKI: "住民基本台帳用（数字4桁）",
    Label.PIN_SIGNATURE: "署名用（英数字6〜16桁・新しく設定）",
    Label.NONE: "なし",
    Label.CHECKS: "確認事項",
    Label.ROUTE: "転出の方法",
    Label.PLANNED_MOVE_OUT: "転出予定日",
    Label.REMAINING_HEAD: "残る世帯の世帯主",
    Label.HONSEKI: "本籍・筆頭者",
    Label.FOREIGN: "国籍・在留",
    Label.CONTINUED: "続き",
    Label.NO_ADDRESS_CHANGE: "住所の変更なし（住民登録の住所）",
    Label.ABROAD_YEAR: "1年以上の国外滞在",
    Label.NOT_ANSWERED: "未回答",
    Label.POWER_OF_ATTORNEY_DATED: "委任状の日付",
    Label.STAYING: "残る人数",
    Label.CARD_REQUEST_TITLE: "マイナンバーカードの申請",
    Label.APPLIED_ON: "申請日",
    Label.APPLICANT: "申請者（カードの持ち主）",
    Label.CARD_ADDRESS: "住所（カードの記載）",
    Label.SEAL_STATEMENT: "印鑑登録",
    Label.SEAL_REGISTERED: "登録済み（本人の申告）",
    Label.SEAL_NUMBER: "印鑑登録番号（職員記入）",
    Label.RESIDENT_ID: "宛名番号（職員記入）",
    Label.CERTIFICATE: "利用者証明用電子証明書",
    Label.CERT_SERIAL: "シリアル番号",
    Label.CERT_NOT_AFTER: "有効期限",
    Label.CERT_ISSUER: "発行者",
    Label.CARD_SIGNED: "カードの電子署名あり（受付で検証）",
    Label.APPLICANT_SIGNATURE: "申請者署名",
}

EN: dict[str, str] = {
    Label.TITLE: "Notification of Change of Residence",
    Label.KIND: "Type",
    Label.FILING_ID: "Filing no.",
    Label.NOTIFIED_ON: "Filed on",
    Label.MOVED_ON: "Moved on",
    Label.MOVE_OUT_ON: "Moving out on",
    Label.ADDRESS: "Address",
    Label.NEW_ADDRESS: "New address",
    Label.DESTINATION: "Moving to",
    Label.OLD_ADDRESS: "Previous address",
    Label.HEAD: "Head of household",
    Label.OLD_HEAD: "Previous head",
    Label.HOUSEHOLD: "Household",
    Label.MEMBERS: "Persons moving",
    Label.NAME: "Name",
    Label.FURIGANA: "Reading",
    Label.BIRTH_DATE: "Date of birth",
    Label.SEX: "Sex",
    Label.RELATIONSHIP: "Relation to head",
    Label.CARD_TASKS: "Card procedures",
    Label.FILER: "Filed by",
    Label.FILER_ADDRESS: "Filer's address",
    Label.STANDING: "Capacity",
    Label.PHONE: "Phone",
    Label.RELATED: "Related procedures",
    Label.SIGNATURE: "Signature",
    Label.SIGNATURE_NOTE: "Please sign at the counter",
    Label.CLERK: "For office use",
    Label.RECEPTION: "Received",
    Label.ENTRY: "Entered",
    Label.REVIEW: "Checked",
    Label.MISSING_CHARS: "Characters that could not be printed (staff to check)",
    Label.MISSING_GLYPH: "no glyph",
    Label.MISSING_VARIANT: "variant shown in base form",
    Label.OUTSIDE_JIS: "Characters outside JIS X 0208 (check the form in the resident record)",
    Label.CODES: "Barcode",
    Label.WHOLE: "whole household",
    Label.JOIN: "joining a household",
    Label.RECEIPT_NO: "Receipt no.",
    Label.COPY_TITLE: "Your copy",
    Label.PROCEDURE: "Procedure",
    Label.COUNTER: "Counter",
    Label.COUNTER_NAME: "Take this copy to the resident registration counter",
    Label.BRING: "Please bring",
    Label.BRING_ID: "Photo ID (My Number card, driving licence, residence card …)",
    Label.BRING_CARDS: "The My Number card of everyone moving",
    Label.BRING_CERTIFICATE: "The original moving-out certificate",
    Label.BRING_RESIDENCE_CARD: "Residence card / special permanent resident certificate",
    Label.BRING_POWER_OF_ATTORNEY: "The original letter of attorney",
    Label.BRING_LEGAL_PROOF: "Proof of legal representation",
    Label.BRING_RELATION_PROOF: "Proof of the relationship with a Japanese translation",
    Label.BRING_PASSPORTS: "Everyone's passport",
    Label.BRING_KOSEKI: "Family register copy and its supplement (koseki, fuhyo)",
    Label.BRING_CONSENT: "Written consent of the head of household",
    Label.TICKET: "Card procedures at the counter",
    Label.PIN: "PIN",
    Label.PIN_JUKI: "resident-registry PIN (4 digits)",
    Label.PIN_SIGNATURE: "signature password (6–16 letters/digits, new)",
    Label.NONE: "none",
    Label.CHECKS: "Points to check",
    Label.ROUTE: "How you moved out",
    Label.PLANNED_MOVE_OUT: "Planned move-out date",
    Label.REMAINING_HEAD: "Head of the remaining household",
    Label.HONSEKI: "Registered domicile (honseki)",
    Label.FOREIGN: "Nationality / status",
    Label.CONTINUED: "continued",
    Label.NO_ADDRESS_CHANGE: "no change of address (registered address)",
    Label.ABROAD_YEAR: "Abroad for one year or more",
    Label.NOT_ANSWERED: "not answered",
    Label.POWER_OF_ATTORNEY_DATED: "Date of the letter of attorney",
    Label.STAYING: "Persons staying",
    Label.CARD_REQUEST_TITLE: "My Number card request",
    Label.APPLIED_ON: "Date of request",
    Label.APPLICANT: "Applicant (card holder)",
    Label.CARD_ADDRESS: "Address (as on the card)",
    Label.SEAL_STATEMENT: "Seal registration",
    Label.SEAL_REGISTERED: "registered (stated by the applicant)",
    Label.SEAL_NUMBER: "Seal registration number (staff)",
    Label.RESIDENT_ID: "Resident number (宛名番号, staff)",
    Label.CERTIFICATE: "User authentication certificate",
    Label.CERT_SERIAL: "Serial number",
    Label.CERT_NOT_AFTER: "Valid until",
    Label.CERT_ISSUER: "Issuer",
    Label.CARD_SIGNED: "signed with the card (checked on receipt)",
    Label.APPLICANT_SIGNATURE: "Signature of the applicant",
    # names of closed sets, keyed by their model values
    term(FilingKind.MOVE_IN): "Moving in",
    term(FilingKind.MOVE_IN_FROM_ABROAD): "Moving in from abroad",
    term(FilingKind.MOVE_WITHIN): "Moving within the ward",
    term(FilingKind.MOVE_OUT): "Moving out",
    term(FilingKind.HEAD_CHANGE): "Change of head of household",
    term(FilingKind.HOUSEHOLD_SPLIT): "Household split",
    term(FilingKind.HOUSEHOLD_MERGE): "Household merger",
    term(FilingKind.HOUSEHOLD_RESTRUCTURE): "Household change",
    term(FilingKind.SEAL_CARD_BINDING): "Using the My Number card as the seal registration card",
    term(FilingKind.HONSEKI_CONVENIENCE_REGISTRATION): (
        "Registration for family register certificates at convenience stores (本籍地利用登録)"
    ),
    term(Sex.MALE): "Male",
    term(Sex.FEMALE): "Female",
    term(Standing.SELF): "Self",
    term(Standing.HEAD): "Head of household",
    term(Standing.HOUSEHOLD_MEMBER): "Household member",
    term(Standing.PROXY): "Proxy",
    term(Standing.LEGAL_REPRESENTATIVE): "Legal representative",
    term(Answer.YES): "yes",
    term(Answer.NO): "no",
    term(Answer.UNSURE): "ask at the counter",
    term(RelatedProcedure.NATIONAL_HEALTH_INSURANCE): "National Health Insurance",
    term(RelatedProcedure.NATIONAL_PENSION): "National Pension",
    term(RelatedProcedure.LONG_TERM_CARE): "Long-term care insurance",
    term(RelatedProcedure.LATE_ELDERLY_MEDICAL): "Medical care for people 75+",
    term(RelatedProcedure.CHILD_ALLOWANCE): "Child allowance",
    term(RelatedProcedure.SCHOOL_ENROLMENT): "School enrolment",
    term(RelatedProcedure.SEAL_REGISTRATION): "Seal registration",
    term(CardTask.CONTINUED_USE): "Continued use",
    term(CardTask.SURFACE_UPDATE): "Update of the card surface",
    term(CardTask.SIGNATURE_CERTIFICATE): "Signature certificate",
}


def load_table(tag: str) -> dict[str, str]:
    """The shipped label table of one language (``kiosk/forms/data/labels_<tag>.json``)."""
    text = (
        resources.files("kiosk.forms.data")
        .joinpath(f"{LABEL_FILE_PREFIX}{tag}.json")
        .read_text(encoding="utf-8")
    )
    raw = json.loads(text)
    return {str(k): str(v) for k, v in raw["labels"].items()}


ZH_HANS = load_table("zh-hans")
KO = load_table("ko")
VI = load_table("vi")
NE = load_table("ne")  # Devanagari: drawn with Noto Sans Devanagari (fonts-noto-core)
FIL = load_table("fil")
JA_EASY = load_table("ja-x-easy")  # やさしい日本語 beside the official Japanese

_TABLES: dict[str, dict[str, str]] = {
    "ja": JA, "en": EN, "zh-hans": ZH_HANS, "ko": KO, "vi": VI, "ne": NE, "fil": FIL,
    "ja-x-easy": JA_EASY,
}  # fmt: skip
_ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans"}


def register_language(tag: str, table: dict[str, str]) -> None:
    """Add or replace the labels of one language (BCP 47 tag, case-insensitive)."""
    _TABLES[tag.lower()] = dict(table)


def resolve_language(tag: str) -> str | None:
    """The table key for a BCP 47 tag (``en-US`` → ``en``), None if unknown."""
    parts = tag.lower().replace("_", "-").split("-")
    while parts:
        key = "-".join(parts)
        key = _ALIASES.get(key, key)
        if key in _TABLES:
            return key
        parts.pop()
    return None


class Labels:
    """Label lookup for one visit: ``ja(key)``, ``other(key)`` and the combined ``both(key)``."""

    def __init__(self, language: str) -> None:
        key = resolve_language(language)
        self.language = key or "en"
        self.bilingual = self.language != "ja"
        self._table = _TABLES[self.language]

    def ja(self, key: str) -> str:
        """The Japanese caption."""
        return JA.get(_key(key), "")

    def other(self, key: str) -> str:
        """The caption in the visit language ('' for Japanese visits)."""
        if not self.bilingual:
            return ""
        return self._table.get(_key(key)) or EN.get(_key(key), "")

    def both(self, key: str, sep: str = " / ") -> str:
        """``新住所 / New address`` (Japanese alone for Japanese visits)."""
        other = self.other(key)
        ja = self.ja(key)
        if not ja:
            return other
        return f"{ja}{sep}{other}" if other else ja
