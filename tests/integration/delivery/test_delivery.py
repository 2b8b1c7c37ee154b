"""Kiosk outbox → real uvicorn intake over HTTPS (its dev CA) → rows in the intake's database."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time

import pytest
from sqlalchemy import text

from server_sync.stand_report import write_device_state
from tests.fixtures.intake import IntakeServer
from tests.integration.delivery.filings import make_filing
from tests.integration.delivery.harness import BACKENDS, KioskUnderTest, central_filings

SENT_RE = re.compile(r"^sent (\d+) filing\(s\)")


@pytest.mark.parametrize("intake_server", BACKENDS, indirect=True)
def test_send_once_stores_each_filing_once_as_received(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    ids = kiosk.enqueue(3)
    assert kiosk.status()["backlog"] == 3
    result = kiosk.cli("send-once")
    assert result.returncode == 0, result.stderr
    match = SENT_RE.match(result.stdout)
    assert match and int(match.group(1)) == 3
    with intake_server.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT filing_id, kiosk_id, status, filing_sha256, envelope FROM filings")
        ).all()
    assert sorted(r[0] for r in rows) == sorted(ids)
    for filing_id, kiosk_id, status, sha, envelope in rows:
        assert kiosk_id == kiosk.kiosk_id and status == "received"
        env = json.loads(envelope)
        assert env["idempotency_key"] == filing_id
        assert sha == env["filing_sha256"]
    # the kiosk keeps no personal data once acknowledged
    conn2 = sqlite3.connect(kiosk.state_dir / "outbox.db")
    assert conn2.execute("SELECT status, payload FROM outbox").fetchall() == [("done", None)] * 3
    conn2.close()
    status = kiosk.status()
    assert (status["backlog"], status["done"], status["dead"]) == (0, 3, 0)
    # nothing left: a second run sends nothing
    again = kiosk.cli("send-once")
    assert SENT_RE.match(again.stdout) and again.stdout.startswith("sent 0 ")


def test_same_envelope_twice_is_a_duplicate_and_other_content_a_conflict(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    from datetime import UTC, datetime

    from server_sync.config import load_settings
    from server_sync.devicekey import load_or_create_device_key
    from server_sync.envelope import build_envelope
    from server_sync.errors import RejectedError
    from server_sync.runtime import intake_client

    settings = load_settings(kiosk.env())
    key = load_or_create_device_key(settings.device_key_path)
    fid, data = make_filing()

    def envelope(filing: bytes) -> bytes:
        return build_envelope(
            filing, kiosk_id=kiosk.kiosk_id, private_key=key, idempotency_key=fid,
            created_at=datetime.now(UTC), resident_certificate=None, resident_signature=None,
        )  # fmt: skip

    body = envelope(data)
    with intake_client(settings) as client:
        first = client.post_filing(body)
        second = client.post_filing(body)
        assert (first.result, second.result) == ("accepted", "duplicate")
        assert first.filing_id == second.filing_id == fid
        with pytest.raises(RejectedError) as info:
            client.post_filing(envelope(make_filing(fid, name="別 人")[1]))
    assert (info.value.status, info.value.error) == (409, "idempotency_conflict")
    del info
    assert central_filings(intake_server.engine) == {fid: 1}


def test_enrol_rejections_are_clear_errors_not_tracebacks(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    other = KioskUnderTest(kiosk.root.parent / "other", kiosk_id="kiosk-02")
    result = other.cli(
        "enrol", "--url", intake_server.base_url, "--token", "not-a-token",
        "--kiosk-id", "kiosk-02", "--ca", str(intake_server.ca_file),
    )  # fmt: skip
    assert result.returncode == 1
    assert "error [rejected]" in result.stderr and "401" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (other.state_dir / "enrolment.json").exists()


def test_sender_process_delivers_while_running_and_sends_heartbeats(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    write_device_state(kiosk.state_dir, reader="ok", printer="paper_out")  # as the UI does
    kiosk.start_sender()
    ids = kiosk.enqueue(4)
    assert kiosk.wait_drained(30)["backlog"] == 0
    assert set(central_filings(intake_server.engine)) == set(ids)
    deadline = time.monotonic() + 10
    row = None
    while time.monotonic() < deadline:
        with intake_server.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT last_contact_at, backlog, dead, app_version, reader_state,"
                    " printer_state FROM kiosks WHERE kiosk_id = :k"
                ),
                {"k": kiosk.kiosk_id},
            ).first()
        if row is not None and row[0] is not None:
            break
        time.sleep(0.2)
    assert row is not None and row[0] is not None and row[2] == 0 and row[3]
    assert (row[4], row[5]) == ("ok", "paper_out")  # the stand's devices reach the fleet view
    assert kiosk.stop_sender() == 0  # SIGTERM: clean exit
    log = kiosk.log_file.read_text(encoding="utf-8")
    assert all(fid in log for fid in ids)  # logs name message ids ...
    for personal in ("山田", "ヤマダ", "新宿三丁目", "1980"):  # ... never personal data
        assert personal not in log
        assert personal not in json.dumps(kiosk.status(), ensure_ascii=False)


def test_revoked_kiosk_dead_letters_and_staff_see_it(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    [fid] = kiosk.enqueue(1)
    intake_server.revoke(kiosk.kiosk_id)
    result = kiosk.cli("send-once")
    assert result.returncode == 0 and "1 dead-lettered" in result.stdout
    status = kiosk.status()
    assert status["dead"] == 1 and status["backlog"] == 0
    assert status["dead_letters"] == [{"id": fid, "attempts": 1, "last_error": "403 revoked_kiosk"}]
    assert central_filings(intake_server.engine) == {}


def test_tampered_outbox_payload_is_refused_by_the_intake(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    # an envelope signed by another key under this kiosk's id: the intake refuses it (401)
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from server_sync.config import load_settings
    from server_sync.envelope import build_envelope
    from server_sync.runtime import open_outbox

    fid, data = make_filing()
    body = build_envelope(
        data, kiosk_id=kiosk.kiosk_id, private_key=Ed25519PrivateKey.generate(),
        idempotency_key=fid, created_at=datetime.now(UTC),
        resident_certificate=None, resident_signature=None,
    )  # fmt: skip
    with open_outbox(load_settings(kiosk.env())) as box:
        box.enqueue(body, fid)
    result = kiosk.cli("send-once")
    assert "1 dead-lettered" in result.stdout
    [dead] = kiosk.status()["dead_letters"]
    assert dead["last_error"].startswith(("401 ", "403 "))
    assert hashlib.sha256(data).hexdigest() not in json.dumps(kiosk.status())
    assert central_filings(intake_server.engine) == {}
