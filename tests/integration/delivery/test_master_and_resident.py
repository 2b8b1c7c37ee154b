"""Master-data pull and the resident binding, against the real intake."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import text

from server_sync.config import load_settings
from server_sync.intake.errors import MasterSetError
from server_sync.submit import enqueue_filing
from tests.fixtures.intake import IntakeFactory, IntakeServer
from tests.integration.delivery.filings import make_filing
from tests.integration.delivery.harness import KioskUnderTest
from tests.unit.sync.masterdata import master_set, write_master_folder
from tests.unit.sync.pki import make_pki


def _ward_town(kiosk: KioskUnderTest) -> str:
    settings = json.loads(
        (kiosk.state_dir / "master" / "current" / "ward_settings.json").read_text()
    )
    town = str(settings["town"])
    # the app's address master path (kiosk.forms.paths) opens the same set
    conn = sqlite3.connect(f"file:{kiosk.state_dir / 'master.sqlite'}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT town FROM test_marker").fetchone() == (town,)
    finally:
        conn.close()
    return town


def test_pull_master_installs_published_set_and_keeps_it_when_the_next_is_bad(
    kiosk: KioskUnderTest, intake_server: IntakeServer, tmp_path: Path
) -> None:
    good = write_master_folder(tmp_path / "set1", master_set(tmp_path, "一丁目"))
    version = intake_server.publish_master(good)
    result = kiosk.cli("pull-master")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"master data updated to version {version}"
    assert kiosk.status()["master_version"] == version
    assert _ward_town(kiosk) == "一丁目"
    assert kiosk.cli("pull-master").stdout.strip() == f"master data unchanged at version {version}"

    # a truncated database: publish-master refuses it, but say one slipped through anyway
    files = master_set(tmp_path, "二丁目")
    files["address_master.sqlite"] = files["address_master.sqlite"][:2048]
    with pytest.raises(MasterSetError):
        intake_server.publish_master(write_master_folder(tmp_path / "set2", files))
    intake_server.publish_master_files(files)
    bad = kiosk.cli("pull-master")
    assert bad.returncode == 1 and "error [bad_master]" in bad.stderr
    assert "Traceback" not in bad.stderr
    status = kiosk.status()
    assert status["master_version"] == version and status["master_error"]
    assert _ward_town(kiosk) == "一丁目"

    # a good set after that is installed and clears the error
    fixed = intake_server.publish_master(
        write_master_folder(tmp_path / "set3", master_set(tmp_path, "三丁目"))
    )
    assert kiosk.cli("pull-master").returncode == 0
    status = kiosk.status()
    assert (status["master_version"], status["master_error"]) == (fixed, None)
    assert _ward_town(kiosk) == "三丁目"
    kept = sorted(p.name for p in (kiosk.state_dir / "master" / "versions").iterdir())
    assert kept == sorted([version, fixed])  # current + previous only


def test_resident_binding_is_verified_against_the_configured_jpki_root(
    tmp_path: Path, intake_factory: IntakeFactory
) -> None:
    pki = make_pki()
    trust = tmp_path / "trust"
    trust.mkdir()
    (trust / "jpki-user-root.pem").write_bytes(pki.root.public_bytes(Encoding.PEM))
    intake = intake_factory("sqlite", ["--trust-dir", str(trust)])
    kiosk = KioskUnderTest(tmp_path / "kiosk")
    kiosk.enrol(intake.base_url, intake.create_token(kiosk.kiosk_id), intake.ca_file)
    settings = load_settings(kiosk.env())
    signed_id, data = make_filing()
    enqueue_filing(
        settings, data, filing_id=signed_id, created_at=datetime.now(UTC),
        resident_certificate=pki.cert_der, resident_signature=pki.sign(data),
    )  # fmt: skip
    other = make_pki("Not JPKI")
    untrusted_id, data2 = make_filing()
    enqueue_filing(
        settings, data2, filing_id=untrusted_id,
        resident_certificate=other.cert_der, resident_signature=other.sign(data2),
    )  # fmt: skip
    bare_id, data3 = make_filing()
    enqueue_filing(settings, data3, filing_id=bare_id, resident_certificate=None,
                   resident_signature=None)  # fmt: skip
    bad_id, data4 = make_filing()
    enqueue_filing(
        settings, data4, filing_id=bad_id,
        resident_certificate=pki.cert_der, resident_signature=pki.sign(b"another filing"),
    )  # fmt: skip
    result = kiosk.cli("send-once")
    assert result.stdout.startswith("sent 3 filing(s)"), result.stdout
    assert "1 dead-lettered" in result.stdout
    with intake.engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT filing_id, resident_binding FROM filings")).all())
    assert rows == {signed_id: "verified", untrusted_id: "untrusted_chain", bare_id: "absent"}
    [dead] = kiosk.status()["dead_letters"]
    assert (dead["id"], dead["last_error"]) == (bad_id, "422 bad_resident_signature")
