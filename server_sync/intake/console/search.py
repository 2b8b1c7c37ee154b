"""The search form: 氏名/フリガナ, 受付番号, birth date, kiosk, status, JST dates, paging."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from kiosk.forms.ids import receipt_number_ok
from server_sync.intake.clock import stamp
from server_sync.intake.records import FilingStatus
from server_sync.intake.store.search_index import HELD, Query

from .errors import BadInputError
from .views import DISPLAY_TZ

KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
NAME_MAX_CHARS = 60
PAGE_MAX = 10_000
#: what a clerk types as a 受付番号: 8 characters, optionally ``ABCD-EFGH``
RECEIPT_TYPED_RE = re.compile(r"^[0-9A-Za-z]{4}[-‐ー－ ]?[0-9A-Za-z]{4}$")
#: Crockford base32 reads O as 0 and I/L as 1
_CROCKFORD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def day_start_utc(day: date) -> str:
    """Midnight of a Japan-time day as a stored (UTC) timestamp."""
    return stamp(datetime.combine(day, time(0), tzinfo=DISPLAY_TZ))


def typed_receipt(raw: str) -> str | None:
    """A typed or scanned 受付番号 (``ABCD-EFGH``, any case, full width) → ``ABCDEFGH``, or None."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not RECEIPT_TYPED_RE.fullmatch(text):
        return None
    number = re.sub(r"[^0-9A-Za-z]", "", text).upper().translate(_CROCKFORD)
    return number if receipt_number_ok(number) else None


def _page(raw: str) -> int:
    if not raw:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= PAGE_MAX:
        raise BadInputError("ページ番号が不正です (bad page number)")
    return int(raw)


def search_criteria(params: Mapping[str, str], page_size: int) -> tuple[Query, dict[str, str]]:
    """Validate the search form into store criteria plus the values to show back in the form."""
    query = {
        "date_from": params.get("from", "").strip(),
        "date_to": params.get("to", "").strip(),
        "kiosk_id": params.get("kiosk", "").strip(),
        "status": params.get("status", "").strip(),
        "name": " ".join(params.get("name", "").split()),
        "receipt": params.get("receipt", "").strip(),
        "birth": params.get("birth", "").strip(),
    }
    try:
        day_from = date.fromisoformat(query["date_from"]) if query["date_from"] else None
        day_to = date.fromisoformat(query["date_to"]) if query["date_to"] else None
        birth = date.fromisoformat(query["birth"]) if query["birth"] else None
    except ValueError as err:
        raise BadInputError("日付は YYYY-MM-DD で入力してください (dates as YYYY-MM-DD)") from err
    if query["kiosk_id"] and not KIOSK_ID_RE.fullmatch(query["kiosk_id"]):
        raise BadInputError("端末IDが不正です (bad kiosk id)")
    if query["status"] and query["status"] != HELD:
        try:
            FilingStatus(query["status"])
        except ValueError as err:
            raise BadInputError("状態が不正です (bad status)") from err
    if len(query["name"]) > NAME_MAX_CHARS:
        raise BadInputError("氏名が長すぎます (name too long)")
    receipt = ""
    if query["receipt"]:
        receipt = typed_receipt(query["receipt"]) or ""
        if not receipt:
            raise BadInputError("受付番号が正しくありません（8文字） (bad receipt number)")
    criteria = Query(
        name=query["name"],
        receipt_no=receipt,
        birth_date=birth.isoformat() if birth else "",
        kiosk_id=query["kiosk_id"] or None,
        status=query["status"],
        received_from=day_start_utc(day_from) if day_from else None,
        received_to=day_start_utc(day_to + timedelta(days=1)) if day_to else None,
        page=_page(params.get("page", "").strip()),
        page_size=page_size,
    )
    return criteria, query
