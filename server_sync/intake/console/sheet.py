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
from kiosk.forms.model import Address, FilingKind, HouseholdMode
from kiosk.forms.model import Filing as FilingModel
from kiosk.forms.render.dates import both
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
            f.severity.value, SEVERITY_JA[f.severity], f.code, label_of(f.field), message(f, "ja")
        )
        for f in ordered
    )


def _household_fields(model: FilingModel) -> list[tuple[str, str, str, str]]:
    household = model.household
    join = household.mode is HouseholdMode.JOIN
    rows = [
        ("世帯主", "Head of household", model.head_name or NO_VALUE, ""),
        ("世帯", "Household", "一部（既存世帯に加入）" if join else "全部", ""),
    ]
    if household.existing_head is not None:
        rows.append(("既存の世帯主", "Existing head", household.existing_head.name, ""))
    if household.previous_head is not None:
        rows.append(("旧世帯主", "Previous head", household.previous_head.name, ""))
    origin = household.origin
    if origin is not None and origin.remaining_head is not None:
        rows.append(("残る世帯の世帯主", "Remaining head", origin.remaining_head.name, ""))
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


def sheet(model: FilingModel, today: date) -> Sheet:
    """Lay out a parsed filing for the review page (転出: 転出先 and 転出予定日)."""
    move_out = model.kind is FilingKind.MOVE_OUT
    new_text, new_flag = address_text(model.new_address)
    old_text, old_flag = address_text(model.old_address)
    fields: list[tuple[str, str, str, str]] = [
        ("異動の種類", "Kind", model.kind.label_ja, ""),
        ("届出日", "Notified on", both(model.notified_on), ""),
        ("転出予定日" if move_out else "異動日", "Moved on", both(model.moved_on), ""),
        ("転出先" if move_out else "新住所", "New address", new_text, new_flag),
        ("旧住所" if not move_out else "現住所", "Old address", old_text, old_flag),
        *_household_fields(model),
        *_move_fields(model, today),
        ("届出人", "Filer", f"{model.filer.name}（{model.filer.standing.label_ja}）", ""),
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
    return Sheet(tuple(fields), members)
