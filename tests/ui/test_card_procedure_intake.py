"""A signed card request from the demo reaches the real local intake verified, with its serial."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cryptography import x509

from kiosk.hardware.card.sim import Identity, TestPki
from tests.fixtures.kivy import VISITS, DemoRunner

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def _delivered_script(tmp_path: Path) -> Path:
    """The seal_card_binding visit, waiting for the sender to deliver instead of the outbox."""
    raw = json.loads((VISITS / "seal_card_binding.json").read_text(encoding="utf-8"))
    raw["name"] = "seal_card_binding_delivered"
    raw["steps"] = [
        {"expect_delivered": True} if "expect_outbox" in step else step for step in raw["steps"]
    ]
    path = tmp_path / "seal_card_binding_delivered.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def test_signed_seal_binding_arrives_verified_with_its_certificate_serial(
    kiosk_demo: DemoRunner, tmp_path: Path
) -> None:
    script = _delivered_script(tmp_path)
    run = kiosk_demo(
        [], "seal_card_binding_delivered", extra_args=["--intake", "--script", str(script)]
    )
    assert run.returncode == 0, run.log
    assert run.failure == "", run.log
    assert run.out is not None
    with sqlite3.connect(run.out / "intake.db") as db:
        rows = db.execute(
            "SELECT status, kiosk_signature_ok, resident_binding, resident_cert_serial, filing_json"
            " FROM filings"
        ).fetchall()
    assert len(rows) == 1, rows
    status, kiosk_ok, binding, serial, filing_json = rows[0]
    card = TestPki.shared().card(Identity.load(VISITS / "cards" / "ito_shinjuku.json"))
    expected = format(x509.load_der_x509_certificate(card.auth_cert_der).serial_number, "x")
    assert (status, kiosk_ok, binding) == ("received", 1, "verified")
    assert serial == expected
    filing = json.loads(filing_json)
    assert filing["kind"] == "seal_card_binding"
    assert filing["seal_card"] == {"seal_registered": True}
    assert filing["card_certificate"]["serial"] == expected  # what the kiosk printed
    assert "3141" not in filing_json and "2580" not in filing_json  # never a PIN
