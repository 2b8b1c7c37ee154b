"""Pure helpers: reason and id checks, search criteria, time display, fleet health."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server_sync.intake.console.decisions import checked_filing_id, checked_reason
from server_sync.intake.console.errors import BadInputError, NotFoundError
from server_sync.intake.console.scanning import normalise_scan
from server_sync.intake.console.search import search_criteria
from server_sync.intake.console.views import kiosk_row, short_time
from server_sync.intake.records import FilingStatus, Kiosk


def test_reason_is_one_bounded_line() -> None:
    assert checked_reason("  書類\n 不備  ", 10) == "書類 不備"
    for bad in ("", "   ", "x" * 11, "a\x00b"):
        with pytest.raises(BadInputError):
            checked_reason(bad, 10)


@pytest.mark.parametrize(
    "bad", ["", "x", "../../etc/passwd", "01A21E9A-77ED-734E-8599-B8CF5E491226"]
)
def test_filing_ids_must_look_like_uuids(bad: str) -> None:
    with pytest.raises(NotFoundError):
        checked_filing_id(bad)
    assert checked_filing_id("01a21e9a-77ed-734e-8599-b8cf5e491226")


def test_search_dates_are_japan_days_in_utc() -> None:
    criteria, query = search_criteria(
        {"from": "2026-11-27", "to": "2026-11-27", "status": "accepted", "kiosk": "k-1"}, 50
    )
    assert criteria.received_from == "2026-11-26T15:00:00.000000Z"
    assert criteria.received_to == "2026-11-27T15:00:00.000000Z"
    assert criteria.status == FilingStatus.ACCEPTED.value and criteria.kiosk_id == "k-1"
    assert criteria.page_size == 50 and query["date_from"] == "2026-11-27"
    empty, _ = search_criteria({}, 10)
    assert (empty.received_from, empty.received_to, empty.kiosk_id) == (None,) * 3
    assert empty.status == "" and empty.page == 1


def test_times_are_shown_in_japan_time() -> None:
    assert short_time("2026-11-27T15:30:00.123456Z") == "2026-11-28 00:30"
    assert short_time("2026-11-27T15:30:00Z") == "2026-11-28 00:30"
    assert short_time(None) == "—" and short_time("garbage") == "—"


def _kiosk(**changes: object) -> Kiosk:
    base: dict[str, object] = {
        "kiosk_id": "k",
        "public_key": b"\0" * 32,
        "key_id": "0" * 16,
        "enrolled_at": "2026-11-01T00:00:00.000000Z",
        "revoked_at": None,
        "last_contact_at": "2026-11-27T00:50:00.000000Z",
        "backlog": 0,
        "dead": 0,
        "master_version": "v1",
        "app_version": "0.1.0",
    }
    base.update(changes)
    return Kiosk(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "health"),
    [
        ({}, "正常"),
        ({"dead": 2}, "送信不能あり"),
        ({"last_contact_at": "2026-11-26T20:00:00.000000Z"}, "通信途絶"),
        ({"last_contact_at": None}, "未通信"),
        ({"revoked_at": "2026-11-20T00:00:00.000000Z"}, "失効"),
    ],
)
def test_fleet_health(changes: dict[str, object], health: str) -> None:
    now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    assert kiosk_row(_kiosk(**changes), now).health_label == health


def test_scanned_text_is_normalised() -> None:
    assert normalise_scan(" ｊｋ１：ＡＢ\r\n") == "JK1:AB"
