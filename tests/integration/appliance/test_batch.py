"""``kiosk.tech batch`` against a running intake: tokens via the admin API, one card each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from tests.integration.appliance.synthetic_image import BOOT_START_MIB, MIB, make_image, mtype

REPO = Path(__file__).resolve().parents[3]
IDS = ("ward1-001", "ward1-002", "ward1-003")


def _site(tmp_path: Path, intake) -> Path:
    (tmp_path / "intake-ca.pem").write_bytes(intake.ca_file.read_bytes())
    site = tmp_path / "site.toml"
    site.write_text(f'[site]\nname = "Ward 1"\nintake_url = "{intake.base_url}"\n'
                    'ca_file = "intake-ca.pem"\n[printer]\nkind = "memory"\n')  # fmt: skip
    return site


def _batch(tmp_path: Path, site: Path, password_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.tech", "batch", str(make_image(tmp_path)), "--site",
         str(site), "--ids", ",".join(IDS), "--admin-user", "admin", "--admin-password-file",
         str(password_file), "--to-dir", str(tmp_path / "cards"), "--yes",
         "--record", str(tmp_path / "batch.jsonl")],
        capture_output=True, text=True, timeout=240, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def test_batch_creates_tokens_through_the_admin_api_and_flashes_each_card(tmp_path, intake_server):
    (tmp_path / "cards").mkdir()
    site = _site(tmp_path, intake_server)
    user, password = (intake_server.data_dir / "initial-admin-password").read_text().split()
    assert user == "admin"
    password_file = tmp_path / "admin-password"
    password_file.write_text(password + "\n")
    proc = _batch(tmp_path, site, password_file)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 of 3 cards done" in proc.stdout
    records = [json.loads(x) for x in (tmp_path / "batch.jsonl").read_text().splitlines()]
    assert [r["kiosk_id"] for r in records] == list(IDS)
    assert all(r["result"] == "ok" and r["image_version"] == "test" for r in records)
    assert len({r["staff_pin"] for r in records}) == 3  # a PIN per stand (random; 3 differ)
    with intake_server.engine.connect() as conn:
        rows = conn.execute(text("SELECT kiosk_id, created_by FROM enrol_tokens")).all()
    assert sorted(r.kiosk_id for r in rows) == sorted(IDS)
    assert all(r.created_by == "staff:admin" for r in rows)
    # Each card carries its own token, which enrols that kiosk id with the intake.
    token = mtype(tmp_path / "cards" / f"{IDS[1]}.img", BOOT_START_MIB * MIB, "kiosk/enrol-token")
    assert token.strip() and token.decode() not in proc.stdout + proc.stderr


def test_a_wrong_admin_password_writes_no_card(tmp_path, intake_server):
    (tmp_path / "cards").mkdir()
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-password")
    proc = _batch(tmp_path, _site(tmp_path, intake_server), wrong)
    assert proc.returncode == 2
    assert "error [token_api_failed]" in proc.stderr and "HTTP 401" in proc.stderr
    assert not list((tmp_path / "cards").iterdir())
