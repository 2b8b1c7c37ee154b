"""Hostile and broken deliveries against a real intake over HTTPS: none stored, no 5xx."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid

import httpx
import pytest

from server_sync.envelope import canonical_json
from server_sync.ids import new_uuid7
from tests.fixtures.intake import IntakeServer
from tests.integration.intake.db_checks import filing_count
from tests.integration.intake.kit import Pki, TestKiosk, sample_filing

UTC = dt.UTC
FILINGS = "/api/v1/filings"


def enrolled(server: IntakeServer, client: httpx.Client) -> TestKiosk:
    """A freshly enrolled kiosk with a unique id."""
    kiosk = TestKiosk(f"k-{uuid.uuid4().hex[:10]}")
    assert kiosk.enrol(client, server.create_token(kiosk.kiosk_id)).status_code == 201
    return kiosk


@pytest.fixture
def kiosk(shared_intake: IntakeServer, client: httpx.Client) -> TestKiosk:
    return enrolled(shared_intake, client)


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert (response.status_code, response.json()["error"]) == (status, code), response.text
    assert set(response.json()) == {"error", "detail"}


def resign(kiosk: TestKiosk, env: dict[str, object]) -> bytes:
    """Re-sign a modified envelope with the kiosk key (so only the modification is wrong)."""
    body = {k: v for k, v in env.items() if k != "signature"}
    body["signature"] = base64.b64encode(kiosk.key.sign(canonical_json(body))).decode()
    return canonical_json(body)


def test_forged_kiosk_signature_is_refused(shared_intake, client, kiosk):
    fid, env = kiosk.envelope()
    impostor = TestKiosk(kiosk.kiosk_id)  # same id, another key
    forged = json.loads(env)
    forged["signature"] = base64.b64encode(
        impostor.key.sign(canonical_json({k: v for k, v in forged.items() if k != "signature"}))
    ).decode()
    refused(kiosk.post_filing(client, canonical_json(forged)), 401, "bad_signature")
    assert filing_count(shared_intake.engine, fid) == 0


def test_tampered_filing_breaks_the_kiosk_signature(shared_intake, client, kiosk):
    fid, env = kiosk.envelope()
    obj = json.loads(env)
    other = sample_filing(fid, name="偽名次郎")
    obj["filing"] = base64.b64encode(other).decode()
    refused(kiosk.post_filing(client, canonical_json(obj)), 401, "bad_signature")
    assert filing_count(shared_intake.engine, fid) == 0


def test_key_id_of_another_key_is_refused(shared_intake, client, kiosk):
    fid, env = kiosk.envelope()
    obj = json.loads(env)
    obj["key_id"] = "00" * 8
    refused(kiosk.post_filing(client, resign(kiosk, obj)), 401, "key_mismatch")
    assert filing_count(shared_intake.engine, fid) == 0


def test_request_signed_by_another_key_is_refused(shared_intake, client, kiosk):
    fid, env = kiosk.envelope()
    impostor = TestKiosk(kiosk.kiosk_id)
    headers = {"Content-Type": "application/json", **impostor.headers("POST", FILINGS, env)}
    refused(client.post(FILINGS, content=env, headers=headers), 401, "bad_signature")
    assert filing_count(shared_intake.engine, fid) == 0


def test_missing_request_headers_are_refused(shared_intake, client, kiosk):
    fid, env = kiosk.envelope()
    refused(client.post(FILINGS, content=env), 401, "bad_signature")
    assert filing_count(shared_intake.engine, fid) == 0


def test_old_request_timestamp_is_clock_skew_with_the_server_time(shared_intake, client, kiosk):
    fid, env = kiosk.envelope()
    old = dt.datetime.now(UTC) - dt.timedelta(minutes=10)
    answer = kiosk.post(client, FILINGS, env, now=old)
    assert (answer.status_code, answer.json()["error"]) == (400, "clock_skew"), answer.text
    server_time = dt.datetime.strptime(answer.json()["server_time"], "%Y-%m-%dT%H:%M:%SZ")
    offset = server_time.replace(tzinfo=UTC) - old
    assert dt.timedelta(minutes=9) < offset < dt.timedelta(minutes=11)
    assert filing_count(shared_intake.engine, fid) == 0


def test_skewed_request_with_a_bad_signature_learns_nothing_of_the_clock(
    shared_intake, client, kiosk
):
    fid, env = kiosk.envelope()
    impostor = TestKiosk(kiosk.kiosk_id)
    old = dt.datetime.now(UTC) - dt.timedelta(minutes=10)
    headers = {"Content-Type": "application/json", **impostor.headers("POST", FILINGS, env, old)}
    refused(client.post(FILINGS, content=env, headers=headers), 401, "bad_signature")
    assert filing_count(shared_intake.engine, fid) == 0


def test_created_at_older_than_30_days_is_filing_too_old(shared_intake, client, kiosk):
    fid, env = kiosk.envelope(created_at=dt.datetime.now(UTC) - dt.timedelta(days=31))
    refused(kiosk.post_filing(client, env), 422, "filing_too_old")
    assert filing_count(shared_intake.engine, fid) == 0


def test_created_at_days_old_is_still_delivered(shared_intake, client, kiosk):
    fid, env = kiosk.envelope(created_at=dt.datetime.now(UTC) - dt.timedelta(days=5))
    assert kiosk.post_filing(client, env).status_code == 201
    assert filing_count(shared_intake.engine, fid) == 1


def test_created_at_in_the_future_is_clock_skew(shared_intake, client, kiosk):
    fid, env = kiosk.envelope(created_at=dt.datetime.now(UTC) + dt.timedelta(hours=1))
    answer = kiosk.post_filing(client, env)
    assert (answer.status_code, answer.json()["error"]) == (400, "clock_skew"), answer.text
    assert "server_time" in answer.json()
    assert filing_count(shared_intake.engine, fid) == 0


def test_unknown_kiosk_is_refused(shared_intake, client):
    stranger = TestKiosk("never-enrolled")
    fid, env = stranger.envelope()
    refused(stranger.post_filing(client, env), 403, "unknown_kiosk")
    assert filing_count(shared_intake.engine, fid) == 0


def test_revoked_kiosk_is_refused(shared_intake, client, kiosk):
    shared_intake.revoke(kiosk.kiosk_id)
    fid, env = kiosk.envelope()
    refused(kiosk.post_filing(client, env), 403, "revoked_kiosk")
    body = b'{"backlog":0,"dead":0,"master_version":null,"app_version":"1"}'
    refused(kiosk.post(client, "/api/v1/kiosks/heartbeat", body), 403, "revoked_kiosk")
    assert filing_count(shared_intake.engine, fid) == 0


def test_digest_mismatch_is_refused(shared_intake, client, kiosk):
    fid, env = kiosk.envelope()
    obj = json.loads(env)
    obj["filing_sha256"] = "0" * 64
    refused(kiosk.post_filing(client, resign(kiosk, obj)), 400, "digest_mismatch")
    assert filing_count(shared_intake.engine, fid) == 0


def test_resident_signature_from_another_card_is_refused(shared_intake, client, kiosk, jpki: Pki):
    card, other_card = jpki.issue_card(), jpki.issue_card()
    fid, env = kiosk.envelope(card=card, signing_card=other_card)
    refused(kiosk.post_filing(client, env), 422, "bad_resident_signature")
    assert filing_count(shared_intake.engine, fid) == 0


def test_resident_certificate_garbage_is_refused(shared_intake, client, kiosk, jpki: Pki):
    fid, env = kiosk.envelope(card=jpki.issue_card())
    obj = json.loads(env)
    obj["resident"]["certificate"] = base64.b64encode(b"\x30\x03\x02\x01\x01").decode()
    refused(kiosk.post_filing(client, resign(kiosk, obj)), 422, "bad_resident_signature")
    assert filing_count(shared_intake.engine, fid) == 0


def test_untrusted_chain_is_stored_flagged(shared_intake, client, kiosk, rogue_pki: Pki):
    fid, env = kiosk.envelope(card=rogue_pki.issue_card())
    response = kiosk.post_filing(client, env)
    assert response.status_code == 201, response.text
    from server_sync.intake import store

    stored = store.get_filing(shared_intake.engine, fid)
    assert stored is not None
    assert stored.resident_binding.value == "untrusted_chain"


def test_untrusted_chain_is_refused_by_strict_policy(strict_intake, rogue_pki: Pki):
    with strict_intake.client(timeout=10) as strict_client:
        kiosk = enrolled(strict_intake, strict_client)
        fid, env = kiosk.envelope(card=rogue_pki.issue_card())
        refused(kiosk.post_filing(strict_client, env), 422, "untrusted_resident_chain")
    assert filing_count(strict_intake.engine, fid) == 0


def test_oversize_body_is_refused_with_413(shared_intake, client, kiosk):
    body = b'{"pad":"' + b"x" * (256 * 1024) + b'"}'
    refused(kiosk.post_filing(client, body), 413, "too_large")
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))  # no Content-Length
    headers = kiosk.headers("POST", FILINGS, body)
    refused(client.post(FILINGS, content=chunks, headers=headers), 413, "too_large")


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        b"null",
        b"\xff\xfe",
        b'{"version":1}',
        b"",
        '{"kiosk_id":"\u202e"}'.encode(),
    ],
    ids=["truncated", "array", "null", "not-utf8", "members-missing", "empty", "bidi"],
)
def test_malformed_bodies_are_400(shared_intake, client, kiosk, body):
    refused(kiosk.post_filing(client, body), 400, "bad_envelope")


def test_deeply_nested_json_is_400_not_500(shared_intake, client, kiosk):
    deep = b"[" * 100_000
    refused(kiosk.post_filing(client, deep), 400, "bad_envelope")
    refused(kiosk.post(client, "/api/v1/kiosks/heartbeat", deep), 400, "bad_request")
    refused(client.post("/api/v1/kiosks/enrol", content=deep[:4000]), 400, "bad_request")


def test_filing_that_is_not_a_filing_is_422(shared_intake, client, kiosk):
    fid = new_uuid7()
    _, env = kiosk.envelope(b'{"format":1,"id":"' + fid.encode() + b'"}', filing_id=fid)
    refused(kiosk.post_filing(client, env), 422, "bad_filing")
    assert filing_count(shared_intake.engine, fid) == 0


def test_filing_id_must_equal_the_idempotency_key(shared_intake, client, kiosk):
    fid = new_uuid7()
    _, env = kiosk.envelope(sample_filing(new_uuid7()), filing_id=fid)
    refused(kiosk.post_filing(client, env), 422, "bad_filing")
    assert filing_count(shared_intake.engine, fid) == 0


def test_replay_is_a_duplicate_and_new_content_under_the_same_key_conflicts(
    shared_intake, client, kiosk
):
    fid, env = kiosk.envelope()
    first = kiosk.post_filing(client, env)
    assert (first.status_code, first.json()) == (201, {"result": "accepted", "filing_id": fid})
    again = kiosk.post_filing(client, env)
    assert (again.status_code, again.json()) == (200, {"result": "duplicate", "filing_id": fid})
    _, changed = kiosk.envelope(sample_filing(fid, name="山田次郎"), filing_id=fid)
    refused(kiosk.post_filing(client, changed), 409, "idempotency_conflict")
    assert filing_count(shared_intake.engine, fid) == 1


def test_request_signature_is_bound_to_the_path(shared_intake, client, kiosk):
    body = b'{"backlog":0,"dead":0,"master_version":null,"app_version":"1"}'
    headers = {"Content-Type": "application/json", **kiosk.headers("POST", FILINGS, body)}
    response = client.post("/api/v1/kiosks/heartbeat", content=body, headers=headers)
    refused(response, 401, "bad_signature")


def test_concurrent_replays_store_exactly_one_row(shared_intake, kiosk):
    from concurrent.futures import ThreadPoolExecutor

    fid, env = kiosk.envelope()

    def send(_: int) -> int:
        with shared_intake.client(timeout=20) as own:
            return kiosk.post_filing(own, env).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(send, range(8)))
    assert statuses == [200] * 7 + [201]
    assert filing_count(shared_intake.engine, fid) == 1
