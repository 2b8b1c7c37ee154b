"""Paper vs posted copy, field by field: which field differs (305号室 on paper, 302 posted)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

#: JSON keys as the clerk knows them (the last key of a path; members get 世帯員N)
FIELD_JA = {
    "kind": "異動の種類",
    "notified_on": "届出日",
    "moved_on": "異動日",
    "planned_move_out_on": "転出予定日",
    "move_out_route": "転出の方法",
    "new_address": "新住所",
    "old_address": "旧住所",
    "katagaki": "方書",
    "katagaki_listed": "方書（リスト選択）",
    "postal_code": "郵便番号",
    "town": "町字",
    "block": "街区符号",
    "residence": "住居番号",
    "chiban": "地番",
    "free_text": "住所",
    "name": "氏名",
    "furigana": "フリガナ",
    "birth_date": "生年月日",
    "sex": "性別",
    "relationship": "続柄",
    "card_tasks": "カード手続",
    "phone": "電話番号",
    "language": "利用言語",
    "filer": "届出人",
    "household": "世帯",
    "existing_head": "既存の世帯主",
    "previous_head": "旧世帯主",
    "remaining_head": "残る世帯の世帯主",
    "related": "関連手続",
    "members": "世帯員",
    "honseki": "本籍",
    "foreign": "外国人住民の事項",
    "address": "住所",
    "standing": "届出人の資格",
}
#: JSON keys of format 2 the finding paths name, beyond the paper-comparison labels
EXTRA_FIELD_JA = {
    "abroad_for_one_year_or_more": "1年以上の国外滞在",
    "power_of_attorney_dated": "委任状の日付",
    "origin": "元の世帯",
    "staying": "残る人数",
    "staying_children": "残る15歳未満の人数",
    "nationality": "国籍・地域",
    "residence_card_number": "在留カード等の番号",
    "status": "在留資格",
    "period_ends_on": "在留期間満了日",
    "category": "30条45区分",
    "alias": "通称",
    "country": "国名",
    "head_of_register": "筆頭者",
    "seal_card": "印鑑登録証としての利用",
    "card_certificate": "利用者証明用電子証明書",
    "national_health_insurance": "国民健康保険",
    "national_pension": "国民年金",
    "long_term_care": "介護保険",
    "late_elderly_medical": "後期高齢者医療",
    "child_allowance": "児童手当",
    "school_enrolment": "就学",
    "seal_registration": "印鑑登録",
}
MAX_DIFFERENCES = 50
_INDEX_RE = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class Difference:
    """One field that differs: its path, a Japanese label, and both values."""

    path: str
    label: str
    paper: str
    posted: str


def _flatten(value: Any, path: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _flatten(item, f"{path}[{i}]", out)
    else:
        out[path] = "" if value is None else str(value)


def label_of(path: str) -> str:
    """``members[1].name`` → ``世帯員2 氏名``; ``new_address.katagaki`` → ``新住所 方書``.

    The console's finding list and the paper comparison name fields the same way.
    """
    parts: list[str] = []
    for piece in path.split("."):
        index = _INDEX_RE.search(piece)
        key = _INDEX_RE.sub("", piece)
        label = FIELD_JA.get(key) or EXTRA_FIELD_JA.get(key, key)
        parts.append(f"{label}{int(index.group(1)) + 1}" if index else label)
    return " ".join(parts)


def differences(paper_json: str, posted_json: str) -> tuple[Difference, ...]:
    """The fields whose values differ (a field missing on one side shows as empty)."""
    paper: dict[str, str] = {}
    posted: dict[str, str] = {}
    try:
        _flatten(json.loads(paper_json), "", paper)
        _flatten(json.loads(posted_json), "", posted)
    except (ValueError, RecursionError):
        return ()
    paths = [p for p in dict.fromkeys([*paper, *posted]) if paper.get(p) != posted.get(p)]
    return tuple(
        Difference(p, label_of(p), paper.get(p, ""), posted.get(p, ""))
        for p in paths[:MAX_DIFFERENCES]
        if not p.endswith(("created_at", "signature"))
    )
