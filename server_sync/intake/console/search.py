"""The search form: dates in Japan time, kiosk id and status, validated into store criteria."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from server_sync.intake import store
from server_sync.intake.clock import stamp
from server_sync.intake.records import FilingStatus

from .errors import BadInputError
from .views import DISPLAY_TZ

KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def day_start_utc(day: date) -> str:
    """Midnight of a Japan-time day as a stored (UTC) timestamp."""
    return stamp(datetime.combine(day, time(0), tzinfo=DISPLAY_TZ))


def search_criteria(
    params: Mapping[str, str], limit: int
) -> tuple[store.FilingSearch, dict[str, str]]:
    """Validate the search form into store criteria plus the values to show back in the form."""
    query = {
        "date_from": params.get("from", "").strip(),
        "date_to": params.get("to", "").strip(),
        "kiosk_id": params.get("kiosk", "").strip(),
        "status": params.get("status", "").strip(),
    }
    try:
        day_from = date.fromisoformat(query["date_from"]) if query["date_from"] else None
        day_to = date.fromisoformat(query["date_to"]) if query["date_to"] else None
    except ValueError as err:
        raise BadInputError("日付は YYYY-MM-DD で入力してください (dates as YYYY-MM-DD)") from err
    if query["kiosk_id"] and not KIOSK_ID_RE.fullmatch(query["kiosk_id"]):
        raise BadInputError("端末IDが不正です (bad kiosk id)")
    status = None
    if query["status"]:
        try:
            status = FilingStatus(query["status"])
        except ValueError as err:
            raise BadInputError("状態が不正です (bad status)") from err
    criteria = store.FilingSearch(
        received_from=day_start_utc(day_from) if day_from else None,
        received_to=day_start_utc(day_to + timedelta(days=1)) if day_to else None,
        kiosk_id=query["kiosk_id"] or None,
        status=status,
        limit=limit,
    )
    return criteria, query
