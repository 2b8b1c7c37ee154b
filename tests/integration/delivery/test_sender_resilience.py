"""The running sender survives a round that fails unexpectedly and delivers afterwards."""

from __future__ import annotations

import sqlite3
import time

import pytest

from server_sync.outbox import BUSY_TIMEOUT_MS
from tests.fixtures.intake import IntakeServer
from tests.integration.delivery.harness import KioskUnderTest, central_filings

pytestmark = pytest.mark.slow


def _wait_for_log(kiosk: KioskUnderTest, text: str, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        log = kiosk.log_file.read_text(errors="replace") if kiosk.log_file.exists() else ""
        if text in log:
            return log
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not logged within {timeout_s} s")


def test_a_locked_outbox_fails_one_round_and_the_sender_goes_on(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    kiosk.start_sender()
    _wait_for_log(kiosk, "sender started", 30)
    # another process keeps the outbox's write lock past the busy timeout
    blocker = sqlite3.connect(kiosk.state_dir / "outbox.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    log = _wait_for_log(kiosk, "sender round failed (OperationalError", BUSY_TIMEOUT_MS / 1000 + 20)
    blocker.execute("ROLLBACK")
    blocker.close()
    assert kiosk.sender is not None and kiosk.sender.poll() is None, log
    (filing_id,) = kiosk.enqueue(1)
    status = kiosk.wait_drained(30)
    assert (status["backlog"], status["done"]) == (0, 1)
    assert central_filings(intake_server.engine) == {filing_id: 1}
    assert kiosk.sender.poll() is None  # still running
