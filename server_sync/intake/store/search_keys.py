"""Search keys of a stored filing (leaf module: imported by the insert path and the search)."""

from __future__ import annotations

import json
import unicodedata
from typing import TYPE_CHECKING, Any

from kiosk.forms.ids import receipt_number

if TYPE_CHECKING:
    from kiosk.forms.model import Filing as ParsedFiling

#: katakana ァ..ヶ → hiragana ぁ..ゖ (fixed offset in Unicode)
_KATA_FIRST, _KATA_LAST, _KANA_OFFSET = 0x30A1, 0x30F6, 0x60
NAME_SEPARATOR = "|"


def fold(value: str) -> str:
    """Kana-insensitive search key: NFKC (full/half width), katakana → hiragana, no spaces."""
    folded = unicodedata.normalize("NFKC", value)
    chars = [
        chr(ord(c) - _KANA_OFFSET) if _KATA_FIRST <= ord(c) <= _KATA_LAST else c for c in folded
    ]
    return "".join(c for c in chars if not c.isspace() and c != NAME_SEPARATOR).lower()


def index_params(filing_id: str, filing_json: str) -> dict[str, Any]:
    """search_names, birth_dates, receipt_no, member_count for one stored filing (never raises)."""
    names: list[str] = []
    births: list[str] = []
    try:
        raw = json.loads(filing_json)
        members = raw.get("members", []) if isinstance(raw, dict) else []
        for m in members if isinstance(members, list) else []:
            if isinstance(m, dict):
                names += [fold(str(m.get(k, ""))) for k in ("name", "furigana") if m.get(k)]
                if m.get("birth_date"):
                    births.append(str(m["birth_date"])[:10])
    except (ValueError, RecursionError, TypeError):
        members = []
    return _keys(filing_id, names, births, len(members) if isinstance(members, list) else 0)


def parsed_index_params(filing_id: str, filing: ParsedFiling) -> dict[str, Any]:
    """The same keys as :func:`index_params`, from the filing the intake already parsed.

    The POST parses and validates the filing once; its search keys come from that object
    instead of a second ``json.loads`` of the stored JSON (the backfill still reads the JSON).
    """
    names: list[str] = []
    births: list[str] = []
    for m in filing.members:
        names += [fold(v) for v in (m.name, m.furigana) if v]
        births.append(m.birth_date.isoformat())
    return _keys(filing_id, names, births, len(filing.members))


def _keys(filing_id: str, names: list[str], births: list[str], count: int) -> dict[str, Any]:
    try:
        receipt = receipt_number(filing_id)
    except (UnicodeEncodeError, ValueError):
        receipt = None
    return {
        "search_names": NAME_SEPARATOR + NAME_SEPARATOR.join(names) + NAME_SEPARATOR,
        "birth_dates": NAME_SEPARATOR + NAME_SEPARATOR.join(births) + NAME_SEPARATOR,
        "receipt_no": receipt,
        "member_count": count,
    }
