"""The review page's contents in clerk Japanese: fields, members with age and card tasks, findings.

Findings come from the shared validation (``kiosk.forms.validation.validate``, the code the kiosk
runs) with its own Japanese texts (``kiosk.forms.messages``), errors first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.forms.decisions import SpecialStatus, age_on, special_move_in
from kiosk.forms.findings import Finding, Severity
from kiosk.forms.messages import message
from kiosk.forms.model import Address, FilingKind, HouseholdMode, Standing
from kiosk.forms.model import Filing as FilingModel
from kiosk.forms.render.dates import both
from kiosk.forms.render.labels import EN, term
from kiosk.forms.render.sheet import (
    ATTORNEY_DATE_AT_COUNTER,
    remaining_head_text,
    staying_text,
)
from kiosk.forms.rules_extra import is_abroad_move_out
from kiosk.forms.validation import validate

from .compare import label_of

NO_VALUE = "—"
ANSWER_JA = {"yes": "はい", "no": "いいえ", "unsure": "窓口で確認"}
#: the visit language as the clerk arranges an interpreter (BCP 47 tag → Japanese name)
LANGUAGE_JA = {
    "ja": "日本語",
    "ja-x-easy": "やさしい日本語",
    "en": "英語",
    "zh-hans": "中国語（簡体字）",
    "zh": "中国語",
    "ko": "韓国語",
    "vi": "ベトナム語",
    "ne": "ネパール語",
    "fil": "フィリピノ語",
    "pt": "ポルトガル語",
    "es": "スペイン語",
    "id": "インドネシア語",
    "th": "タイ語",
    "my": "ミャンマー語",
}
SEVERITY_JA = {Severity.ERROR: "エラー", Severity.WARNING: "警告"}
#: the page heading of a 住民異動届 (the card procedures are requests and carry their own name)
MOVE_HEADING = "住民異動届"
MOVE_HEADING_EN = "Notification of move"
SPECIAL_JA = {
    SpecialStatus.ELIGIBLE: "特例転入（期限内）",
    SpecialStatus.EXPIRED: "特例転入の期限切れ（転出証明書が必要）",
}


@dataclass(frozen=True, slots=True)
class FindingView:
    """One finding of the shared validation, as the clerk reads it."""

    severity: str  # "error" | "warning"
    severity_label: str
    code: str
    field: str
    text: str


@dataclass(frozen=True, slots=True)
class MemberRow:
    """One person of the household table."""

    name: str
    furigana: str
    birth_date: str  # 和暦 (西暦)
    age: int
    sex: str
    relationship: str
    from_chip: bool
    card_tasks: str


@dataclass(frozen=True, slots=True)
class Sheet:
    """Fields as (label, English label, value, flag) plus the members table."""

    fields: tuple[tuple[str, str, str, str], ...]
    members: tuple[MemberRow, ...]
    #: the page heading: 「住民異動届 — 転居」, or the request's own name for a card procedure
    heading: str = MOVE_HEADING
    heading_en: str = MOVE_HEADING_EN


def heading(kind: FilingKind) -> tuple[str, str]:
    """(Japanese, English) heading of a filing's page: a card procedure is not a 住民異動届."""
    if kind.is_card_procedure:
        return kind.label_ja, EN.get(term(kind), "")
    return f"{MOVE_HEADING} — {kind.label_ja}", MOVE_HEADING_EN


def field_label(path: str) -> str:
    """``members[1].foreign.status`` → ``世帯員2 外国人住民の事項 在留資格``."""
    return label_of(path)


def language_ja(tag: str) -> str:
    """``vi`` → ``ベトナム語`` (unknown tags shown as they are)."""
    key = tag.lower()
    return LANGUAGE_JA.get(key) or LANGUAGE_JA.get(key.split("-")[0]) or tag


def address_text(address: Address | None) -> tuple[str, str]:
    """(〒 postal code + address as printed, a flag when the 方書 is not in the ward's list)."""
    if address is None:
        return NO_VALUE, ""
    postal = address.postal_code
    shown = f"〒{postal[:3]}-{postal[3:]} " if len(postal) == 7 else ""
    flag = "方書リスト外" if address.katagaki and not address.katagaki_listed else ""
    return shown + address.display(), flag


def findings(model: FilingModel, today: date) -> tuple[FindingView, ...]:
    """Every finding of the shared validation, errors first, in clerk Japanese."""
    found: list[Finding] = validate(model, None, today=today)
    ordered = sorted(found, key=lambda f: f.severity is not Severity.ERROR)
    return tuple(
        FindingView(
            f.severity.value,
            SEVERITY_JA[f.severity],
            f.code,
            field_label(f.field),
            message(f, "ja"),
        )
        for f in ordered
    )


def _household_mode(model: FilingModel) -> str:
    """全部, 一部 joining an existing household, or 一部 leaving a household behind."""
    if model.household.mode is HouseholdMode.JOIN:
        return "一部（既存世帯に加入）"
    return "全部" if model.household.origin is None else "一部（残る世帯あり）"


def _household_fields(model: FilingModel) -> list[tuple[str, str, str, str]]:
    household = model.household
    rows = [
        ("世帯主", "Head of household", model.head_name or NO_VALUE, ""),
        ("世帯", "Household", _household_mode(model), ""),
    ]
    if household.existing_head is not None:
        rows.append(("既存の世帯主", "Existing head", household.existing_head.name, ""))
    if household.previous_head is not None:
        rows.append(("旧世帯主", "Previous head", household.previous_head.name, ""))
    origin = household.origin
    if origin is not None:
        # the household left behind: its size and its 世帯主 (declared, or by 職権)
        rows.append(("残る人数", "Persons staying", staying_text(origin), ""))
        remaining = remaining_head_text(model)
        flag = "warn" if remaining == NO_VALUE else ""
        rows.append(("残る世帯の世帯主", "Remaining head", remaining, flag))
    return rows


def _answer_fields(model: FilingModel) -> list[tuple[str, str, str, str]]:
    """国外転出 (1年以上の国外滞在) and the 委任状の日付, as printed on the form."""
    rows: list[tuple[str, str, str, str]] = []
    abroad = model.abroad_for_one_year_or_more
    if is_abroad_move_out(model) or abroad is not None:
        shown = "未回答" if abroad is None else ("はい" if abroad else "いいえ")
        rows.append(("1年以上の国外滞在", "Abroad ≥ 1 year", shown, "" if abroad else "warn"))
    dated = model.filer.power_of_attorney_dated
    if model.filer.standing is Standing.PROXY or dated is not None:
        shown = both(dated) if dated is not None else ATTORNEY_DATE_AT_COUNTER
        rows.append(("委任状の日付", "Letter of attorney", shown, "" if dated else "warn"))
    return rows


def _move_fields(model: FilingModel, today: date) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    if model.move_out_route is not None:
        rows.append(("転出の方法", "Move-out route", model.move_out_route.label_ja, ""))
    if model.planned_move_out_on is not None:
        rows.append(
            ("転出予定日（前住所地）", "Planned move-out", both(model.planned_move_out_on), "")
        )
    special = special_move_in(model, today=today)
    if special.status is not SpecialStatus.NOT_APPLICABLE and special.last_day is not None:
        flag = "warn" if special.status is SpecialStatus.EXPIRED else ""
        text = f"{SPECIAL_JA[special.status]} — 期限 {both(special.last_day)}"
        rows.append(("特例転入", "Card-based move-in", text, flag))
    return rows


def _filing_fields(model: FilingModel, today: date) -> list[tuple[str, str, str, str]]:
    move_out = model.kind is FilingKind.MOVE_OUT
    new_text, new_flag = address_text(model.new_address)
    old_text, old_flag = address_text(model.old_address)
    return [
        ("異動の種類", "Kind", model.kind.label_ja, ""),
        ("届出日", "Notified on", both(model.notified_on), ""),
        ("転出予定日" if move_out else "異動日", "Moved on", both(model.moved_on), ""),
        ("転出先" if move_out else "新住所", "New address", new_text, new_flag),
        ("旧住所" if not move_out else "現住所", "Old address", old_text, old_flag),
        *_household_fields(model),
        *_move_fields(model, today),
        ("届出人", "Filer", f"{model.filer.name}（{model.filer.standing.label_ja}）", ""),
        *_answer_fields(model),
    ]


def _card_fields(model: FilingModel) -> list[tuple[str, str, str, str]]:
    """A card procedure is a request: 申請日, the holder's card address, the applicant."""
    card_text, card_flag = address_text(model.old_address)
    return [
        ("申請の種類", "Request", model.kind.label_ja, ""),
        ("申請日", "Applied on", both(model.notified_on), ""),
        ("住所（カードの記載）", "Address on the card", card_text, card_flag),
        ("申請者", "Applicant", f"{model.filer.name}（{model.filer.standing.label_ja}）", ""),
    ]


def sheet(model: FilingModel, today: date) -> Sheet:
    """Lay out a parsed filing for the review page (転出: 転出先 and 転出予定日)."""
    fields = _card_fields(model) if model.kind.is_card_procedure else _filing_fields(model, today)
    fields += [
        ("電話番号", "Phone", model.phone or NO_VALUE, ""),
        ("利用言語", "Visit language", language_ja(model.language), ""),
    ]
    related = [f"{a.procedure.label_ja}: {ANSWER_JA[a.answer.value]}" for a in model.related]
    fields.append(("関連手続", "Related procedures", "、".join(related) or NO_VALUE, ""))
    members = tuple(
        MemberRow(
            name=m.name,
            furigana=m.furigana,
            birth_date=both(m.birth_date),
            age=age_on(m.birth_date, today),
            sex=m.sex.label_ja,
            relationship=m.relationship.display,
            from_chip=m.from_chip,
            card_tasks="、".join(sorted(t.label_ja for t in m.card_tasks)) or NO_VALUE,
        )
        for m in model.members
    )
    return Sheet(tuple(fields), members, *heading(model.kind))
