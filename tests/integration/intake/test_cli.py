"""The admin commands as staff run them (subprocesses), and the first-start announcements."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from server_sync.intake import store
from server_sync.intake.clock import utc_now
from server_sync.intake.export import CSV_COLUMNS
from server_sync.intake.records import FilingStatus
from tests.fixtures.intake import IntakeServer
from tests.integration.intake.kit import Pki, TestKiosk
from tests.integration.intake.test_flow import make_master

REPO = Path(__file__).resolve().parents[3]


def intake_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server_sync.intake", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_first_start_prints_ca_and_staff_once(intake_server: IntakeServer):
    first = intake_server.log_file.read_text()
    secret = intake_server.data_dir / "initial-admin-password"
    assert first.count(f"initial staff account admin (role admin); password in {secret}") == 1
    # finding 4: the password itself never reaches stdout (the journal), only an owner-only file
    username, password = secret.read_text().split()
    assert username == "admin"
    assert password not in first
    assert secret.stat().st_mode & 0o777 == 0o600
    assert intake_server.data_dir.stat().st_mode & 0o777 == 0o700
    assert f"generated dev CA {intake_server.ca_file}" in first
    intake_server.restart()
    log = intake_server.log_file.read_text()
    assert log.count("initial staff account") == 1
    assert log.count("generated dev CA") == 1
    # every start says where clerks go
    assert log.count(f"clerk console at {intake_server.base_url}/console/") == 2


def test_token_create_enrols_and_revoke_blocks(intake_server: IntakeServer):
    made = intake_cli("token", "create", "--db", intake_server.db_url, "--kiosk-id", "cli-kiosk")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    kiosk = TestKiosk("cli-kiosk")
    with intake_server.client(timeout=10) as client:
        assert kiosk.enrol(client, token).status_code == 201
        revoked = intake_cli("revoke", "--db", intake_server.db_url, "--kiosk-id", "cli-kiosk")
        assert revoked.returncode == 0, revoked.stderr
        _, env = kiosk.envelope()
        assert kiosk.post_filing(client, env).json()["error"] == "revoked_kiosk"
    listed = intake_cli("kiosks", "--db", intake_server.db_url)
    assert listed.stdout.startswith("cli-kiosk\trevoked\t")


def test_revoking_an_unknown_kiosk_is_a_clear_error(intake_server: IntakeServer):
    result = intake_cli("revoke", "--db", intake_server.db_url, "--kiosk-id", "ghost")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: not_found: no kiosk ghost"
    assert "Traceback" not in result.stderr


def test_publish_master_from_folder(intake_server: IntakeServer, jpki: Pki, tmp_path: Path):
    folder = make_master(tmp_path / "master", jpki)
    first = intake_cli("publish-master", "--db", intake_server.db_url, "--master", str(folder))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("published ")
    again = intake_cli("publish-master", "--db", intake_server.db_url, "--master", str(folder))
    assert again.stdout.startswith("unchanged ")
    (folder / "stray.txt").write_text("x")
    bad = intake_cli("publish-master", "--db", intake_server.db_url, "--master", str(folder))
    assert bad.returncode == 2
    assert "bad_master" in bad.stderr and "stray.txt" in bad.stderr


@pytest.fixture
def accepted_filings(intake_server: IntakeServer) -> list[str]:
    """Two posted filings accepted by a clerk, one left 仮登録, one rejected."""
    kiosk = TestKiosk("export-kiosk")
    ids = []
    with intake_server.client(timeout=10) as client:
        assert kiosk.enrol(client, intake_server.create_token(kiosk.kiosk_id)).status_code == 201
        for _ in range(4):
            fid, env = kiosk.envelope()
            assert kiosk.post_filing(client, env).status_code == 201
            ids.append(fid)
    for fid in ids[:2]:
        store.set_filing_status(
            intake_server.engine, fid, FilingStatus.ACCEPTED, actor="staff:a", reason=None,
            now=utc_now(),
        )  # fmt: skip
    store.set_filing_status(
        intake_server.engine, ids[3], FilingStatus.REJECTED, actor="staff:a", reason="dup",
        now=utc_now(),
    )  # fmt: skip
    return ids[:2]


def test_export_csv_has_documented_columns_and_only_accepted(
    intake_server: IntakeServer, accepted_filings: list[str]
):
    result = intake_cli("export", "--db", intake_server.db_url, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [r["filing_id"] for r in body] == accepted_filings
    first = body[0]
    assert first["kind"] == "move_within" and first["kind_ja"] == "転居"
    assert first["name"] == "山田太郎" and first["relationship"] == "世帯主"
    assert first["relationship_codes"] == "02"
    assert first["new_katagaki"] == "新宿ハイツ302号室"
    assert first["old_address_text"] == "東京都新宿区西新宿二丁目8番1号"
    assert first["accepted_by"] == "staff:a"
    documented = (REPO / "docs" / "export-format.md").read_text("utf-8")
    assert all(f"`{column}`" in documented for column in CSV_COLUMNS)


def test_export_json_to_file(
    intake_server: IntakeServer, accepted_filings: list[str], tmp_path: Path
):
    out = tmp_path / "export.json"
    result = intake_cli(
        "export", "--db", intake_server.db_url, "--format", "json", "--output", str(out)
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text("utf-8"))
    assert doc["format"] == "kiosk-intake-export" and doc["version"] == 1
    assert [f["filing_id"] for f in doc["filings"]] == accepted_filings
    assert doc["filings"][0]["filing"]["members"][0]["name"] == "山田太郎"
    assert doc["filings"][0]["resident_binding"] == "absent"
