"""``python -m server_sync.intake export --profile kihon`` end to end: the example filings posted
by a kiosk to a real intake server, accepted, exported by the CLI and read back."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.forms.codec import canonical_bytes, filing_from_json
from server_sync.intake import store
from server_sync.intake.clock import utc_now
from server_sync.intake.export import CSV_COLUMNS
from server_sync.intake.kihon import KIHON_COLUMNS
from server_sync.intake.records import FilingStatus
from tests.fixtures.intake import IntakeServer
from tests.integration.intake.kit import TestKiosk

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((REPO / "examples" / "filings").glob("*.json"))
MAPPING = REPO / "examples" / "mappings" / "131041"


def intake_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "server_sync.intake", "export", *args],
        cwd=REPO,
        capture_output=True,
        timeout=60,
        check=False,
    )


def rows_of(data: bytes, encoding: str = "utf-8") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline="")))


@pytest.fixture
def accepted(intake_server: IntakeServer) -> list[str]:
    """Every shipped example posted by an enrolled kiosk and accepted by a clerk (in order)."""
    kiosk = TestKiosk("export-kihon-kiosk")
    ids = []
    with intake_server.client(timeout=10) as client:
        assert kiosk.enrol(client, intake_server.create_token(kiosk.kiosk_id)).status_code == 201
        for path in EXAMPLES:
            filing = filing_from_json(path.read_bytes())
            _, envelope = kiosk.envelope(canonical_bytes(filing), filing_id=filing.id)
            answer = kiosk.post_filing(client, envelope)
            assert answer.status_code == 201, (path.name, answer.text)
            ids.append(filing.id)
    for fid in ids:
        store.set_filing_status(
            intake_server.engine, fid, FilingStatus.ACCEPTED, actor="staff:a", reason=None,
            now=utc_now(),
        )  # fmt: skip
    return ids


def test_cli_exports_both_profiles_cp932_with_a_loss_report_and_refuses_unmapped(
    intake_server: IntakeServer, accepted: list[str], tmp_path: Path
) -> None:
    db = ("--db", intake_server.db_url, "--format", "csv")
    members = sum(len(json.loads(p.read_text("utf-8"))["members"]) for p in EXAMPLES)

    kiosk = intake_cli(*db)
    assert kiosk.returncode == 0, kiosk.stderr.decode()
    kiosk_rows = rows_of(kiosk.stdout)
    assert tuple(kiosk_rows[0]) == CSV_COLUMNS and len(kiosk_rows) == members

    out = tmp_path / "kihon.csv"
    kihon = intake_cli(*db, "--profile", "kihon", "--mapping", str(MAPPING), "--output", str(out),
                       "--encoding", "utf-8-sig")  # fmt: skip
    assert kihon.returncode == 0, kihon.stderr.decode()
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = rows_of(data, "utf-8-sig")
    assert tuple(rows[0]) == KIHON_COLUMNS and len(rows) == members
    assert sorted({r["届出ID"] for r in rows}) == sorted(accepted)
    joined = next(r for r in rows if r["続柄表記"] == "妻の母")
    assert (joined["世帯主氏名"], joined["続柄コード1"], joined["続柄コード2"]) == (
        "佐藤 健一",
        "12",
        "52",
    )
    foreign = next(r for r in rows if r["氏名"] == "TRAN THI LAN")
    assert (foreign["住民種別"], foreign["在留資格等"], foreign["国籍等_国名コード"]) == (
        "外国人",
        "家族滞在",
        "704",
    )
    gaiji = next(r for r in rows if r["氏名"] == "髙橋 𠮷之介")
    assert gaiji["字形要確認_文字"] == "髙(U+9AD9) 𠮷(U+20BB7)"
    assert all(r["カード署名検証"] == "absent" and r["本登録者"] == "staff:a" for r in rows)

    sjis = tmp_path / "kihon-sjis.csv"
    cp932 = (*db, "--profile", "kihon", "--mapping", str(MAPPING), "--output", str(sjis),
             "--encoding", "cp932")  # fmt: skip
    refused = intake_cli(*cp932)
    assert refused.returncode == 2 and not sjis.exists()
    assert "encoding_loss" in refused.stderr.decode()
    report = (tmp_path / "kihon-sjis.csv.loss.csv").read_text("utf-8-sig")
    assert "𠮷" in report and "U+20BB7" in report
    allowed = intake_cli(*cp932, "--allow-loss")
    assert allowed.returncode == 0, allowed.stderr.decode()
    names = [r["氏名"] for r in rows_of(sjis.read_bytes(), "cp932")]
    assert "髙橋 〓之介" in names and "NGUYEN VAN MINH" in names
    refuses_unmapped_values_and_a_missing_mapping(intake_server, tmp_path)


def refuses_unmapped_values_and_a_missing_mapping(
    intake_server: IntakeServer, tmp_path: Path
) -> None:
    db = ("--db", intake_server.db_url, "--format", "csv", "--profile", "kihon")
    missing = intake_cli(*db)
    assert missing.returncode == 2 and b"--mapping" in missing.stderr
    folder = tmp_path / "mapping"
    shutil.copytree(MAPPING, folder)
    raw = json.loads((folder / "countries.json").read_text("utf-8"))
    del raw["codes"]["ベトナム"]
    (folder / "countries.json").write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    out = tmp_path / "refused.csv"
    answer = intake_cli(*db, "--mapping", str(folder), "--output", str(out))
    assert answer.returncode == 2 and not out.exists()
    message = answer.stderr.decode()
    assert "kihon_unmapped" in message and "'ベトナム'" in message and "countries.json" in message
    assert "Traceback" not in message
