"""The demo's local intake end to end: a scripted visit's filing arrives in the intake database."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.fixtures.kivy import DemoRunner

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def test_scripted_visit_is_delivered_to_the_local_intake(kiosk_demo: DemoRunner) -> None:
    run = kiosk_demo(
        ["delivered_to_local_intake"], "delivered_to_local_intake", extra_args=["--intake"]
    )
    assert run.returncode == 0, run.log
    assert run.failure == "", run.log
    assert run.out is not None
    with sqlite3.connect(run.out / "intake.db") as db:
        rows = db.execute(
            "SELECT kiosk_id, source, status, kiosk_signature_ok, filing_json FROM filings"
        ).fetchall()
    assert len(rows) == 1, rows
    kiosk_id, source, status, signature_ok, filing_json = rows[0]
    assert (kiosk_id, source, status, signature_ok) == ("demo-kiosk", "posted", "received", 1)
    filing = json.loads(filing_json)
    assert filing["kind"] == "move_out"
    assert "サッポロシ 1-2" in json.dumps(filing, ensure_ascii=False)
