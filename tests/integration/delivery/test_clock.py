"""Clock trouble at the real intake: skew is retried and shown to staff, too old dead-letters."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from server_sync.config import load_settings
from server_sync.devicekey import load_or_create_device_key
from server_sync.runtime import open_outbox
from server_sync.sender import send_pending
from server_sync.submit import enqueue_filing
from server_sync.transport import IntakeClient
from tests.fixtures.intake import IntakeServer
from tests.integration.delivery.filings import make_filing
from tests.integration.delivery.harness import KioskUnderTest, central_filings

SKEW = timedelta(minutes=20)


def test_clock_skew_keeps_the_filing_shows_the_offset_and_heals(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    [fid] = kiosk.enqueue(1)
    settings = load_settings(kiosk.env())
    # a Pi without RTC before NTP: its clock runs 20 minutes behind the intake's
    slow_client = IntakeClient(
        intake_server.base_url,
        kiosk_id=kiosk.kiosk_id,
        private_key=load_or_create_device_key(settings.device_key_path),
        ca_file=intake_server.ca_file,
        connect_timeout_s=5,
        read_timeout_s=5,
        clock=lambda: datetime.now(UTC) - SKEW,
    )
    with slow_client, open_outbox(settings) as outbox:
        report = send_pending(outbox, slow_client, due_only=False)
    assert (report.delivered, report.retried, report.dead) == (0, 1, 0)
    status = kiosk.status()
    assert (status["backlog"], status["dead"], status["last_error"]) == (1, 0, "400 clock_skew")
    # the offset staff see: intake time minus kiosk time (the kiosk here runs behind: ≈ +1200 s)
    offset = status["clock_offset_s"]
    assert isinstance(offset, int) and abs(offset - SKEW.total_seconds()) < 30, status
    assert fid not in central_filings(intake_server.engine)
    # once the clock is right, the same filing goes through and the offset is cleared
    result = kiosk.cli("send-once")
    assert result.returncode == 0 and result.stdout.startswith("sent 1 "), result.stdout
    assert central_filings(intake_server.engine) == {fid: 1}
    status = kiosk.status()
    assert (status["backlog"], status["clock_offset_s"]) == (0, None)


def test_filing_older_than_the_cap_is_dead_lettered_at_once(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    settings = load_settings(kiosk.env())
    fid, data = make_filing()
    enqueue_filing(
        settings,
        data,
        filing_id=fid,
        resident_certificate=None,
        resident_signature=None,
        created_at=datetime.now(UTC) - timedelta(days=31),
    )
    [fresh] = kiosk.enqueue(1)
    result = kiosk.cli("send-once")
    # the permanent rejection does not stop the round: the fresh filing behind it is delivered
    assert result.returncode == 0 and result.stdout.startswith("sent 1 "), result.stdout
    assert "1 dead-lettered" in result.stdout
    assert central_filings(intake_server.engine) == {fresh: 1}
    status = kiosk.status()
    assert (status["backlog"], status["dead"]) == (0, 1)
    assert status["dead_letters"] == [
        {"id": fid, "attempts": 1, "last_error": "422 filing_too_old"}
    ]
    # dead letters keep their (encrypted) payload for staff to requeue; nothing else was retried
    with sqlite3.connect(kiosk.state_dir / "outbox.db") as conn:
        row = conn.execute("SELECT status, payload IS NOT NULL FROM outbox WHERE id = ?", (fid,))
        assert row.fetchone() == ("dead", 1)
