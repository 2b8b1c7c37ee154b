"""Which intake answers are retried and which dead-letter (the protocol's table)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests

from server_sync.errors import RejectedError, TransportError
from server_sync.transport import classify


def _response(status: int, body: object = None) -> requests.Response:
    resp = requests.Response()
    resp.status_code = status
    resp._content = b"" if body is None else json.dumps(body).encode()
    return resp


@pytest.mark.parametrize("status", [200, 201, 204, 304])
def test_success_and_not_modified_pass(status: int) -> None:
    classify(_response(status))


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses(status: int) -> None:
    with pytest.raises(TransportError) as info:
        classify(_response(status, {"error": "busy", "detail": "x"}))
    assert info.value.retryable and info.value.status == status
    assert info.value.detail == f"{status} busy"


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "bad_envelope"), (401, "bad_signature"), (403, "revoked_kiosk"), (409,
     "idempotency_conflict"), (413, "too_large"), (422, "bad_filing")],
)  # fmt: skip
def test_permanent_rejections(status: int, code: str) -> None:
    with pytest.raises(RejectedError) as info:
        classify(_response(status, {"error": code, "detail": "山田 太郎 " * 100}))
    assert (info.value.status, info.value.error) == (status, code)
    assert len(info.value.detail) <= 200  # server text is truncated, and never stored


def test_clock_skew_is_retried_and_carries_the_server_time() -> None:
    body = {"error": "clock_skew", "detail": "skew", "server_time": "2026-11-27T10:00:00Z"}
    with pytest.raises(TransportError) as info:
        classify(_response(400, body), sent_at=datetime(2026, 11, 27, 9, 40, 0, tzinfo=UTC))
    assert info.value.detail == "400 clock_skew"
    assert info.value.clock_offset_s == 20 * 60  # the intake is 20 minutes ahead of us


@pytest.mark.parametrize("server_time", [None, 5, "yesterday", "2026-13-45T99:00:00Z"])
def test_clock_skew_with_an_unusable_server_time_is_still_retried(server_time: object) -> None:
    with pytest.raises(TransportError) as info:
        classify(
            _response(400, {"error": "clock_skew", "detail": "", "server_time": server_time}),
            sent_at=datetime(2026, 11, 27, 9, 40, 0, tzinfo=UTC),
        )
    assert info.value.clock_offset_s is None


def test_filing_too_old_is_permanent() -> None:
    with pytest.raises(RejectedError) as info:
        classify(_response(422, {"error": "filing_too_old", "detail": "created_at"}))
    assert (info.value.status, info.value.error) == (422, "filing_too_old")


@pytest.mark.parametrize("body", [None, "text", ["list"], {"error": "Bad Code!"}])
def test_unreadable_error_bodies_get_a_generic_code(body: object) -> None:
    with pytest.raises(RejectedError) as info:
        classify(_response(404, body))
    assert info.value.error == "http_error"
