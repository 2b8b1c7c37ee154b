"""The whole kiosk-facing API over HTTPS against SQLite and PostgreSQL: rows, audit, restart."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from server_sync.intake import store
from server_sync.intake.clock import utc_now
from server_sync.intake.records import FilingStatus
from tests.fixtures.intake import IntakeServer
from tests.integration.intake.db_checks import audit_actions, filing_count
from tests.integration.intake.kit import Pki, TestKiosk
from tests.unit.sync.masterdata import address_master_bytes

BACKENDS = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]
HEARTBEAT = "/api/v1/kiosks/heartbeat"


def make_master(folder: Path, pki: Pki, phone: str = "03-0000-0000") -> Path:
    """A small valid master set folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "address_master.sqlite").write_bytes(address_master_bytes(folder.parent))
    (folder / "relationship_codes.json").write_text(
        json.dumps({"name": "test", "codes": {"世帯主": "02"}}, ensure_ascii=False), "utf-8"
    )
    (folder / "ward_settings.json").write_text(json.dumps({"phone": phone}), "utf-8")
    (folder / "trust").mkdir(exist_ok=True)
    (folder / "trust" / "jpki.pem").write_bytes(pki.root_pem())
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
def test_enrol_post_review_and_restart(intake_factory, backend, jpki: Pki, trust_dir: Path):
    server: IntakeServer = intake_factory(backend, ("--trust-dir", str(trust_dir)))
    kiosk = TestKiosk("ward-1-counter-3")
    card = jpki.issue_card()
    with server.client(timeout=10) as client:
        enrol = kiosk.enrol(client, server.create_token(kiosk.kiosk_id))
        assert enrol.status_code == 201
        assert enrol.json()["kiosk_id"] == kiosk.kiosk_id
        fid, env = kiosk.envelope(card=card)
        assert kiosk.post_filing(client, env).status_code == 201
        assert kiosk.post_filing(client, env).json()["result"] == "duplicate"

    stored = store.get_filing(server.engine, fid)
    assert stored is not None
    assert stored.status is FilingStatus.RECEIVED
    assert stored.resident_binding.value == "verified"
    assert stored.resident_cert_serial == format(card.cert.serial_number, "x")
    assert stored.envelope is not None and stored.envelope.encode() == env
    assert stored.filing_sha256 == hashlib.sha256(stored.filing_json.encode()).hexdigest()
    assert stored.source.value == "posted" and stored.kiosk_signature_ok
    assert filing_count(server.engine) == 1

    store.set_filing_status(
        server.engine, fid, FilingStatus.ACCEPTED, actor="staff:clerk1", reason=None, now=utc_now()
    )
    assert audit_actions(server.engine, fid) == ["filing.received", "filing.accepted"]
    assert audit_actions(server.engine, kiosk.kiosk_id) == [
        "enrol_token.created",
        "kiosk.enrolled",
    ]

    server.kill()  # a crash: the stored filing survives, the replay is still a duplicate
    server.start()
    with server.client(timeout=10) as client:
        again = kiosk.post_filing(client, env)
    assert (again.status_code, again.json()["result"]) == (200, "duplicate")
    kept = store.get_filing(server.engine, fid)
    assert kept is not None and kept.status is FilingStatus.ACCEPTED

    log = server.log_file.read_text("utf-8")
    assert re.search(rf"stored \d+ filing\(s\): .*{fid}", log)  # the log is really captured …
    for personal in ("山田", "ヤマダ", "1980-04-01", "新宿ハイツ"):  # … and holds no personal data
        assert personal not in log


@pytest.mark.parametrize("backend", BACKENDS)
def test_heartbeat_and_master_pull(intake_factory, backend, jpki: Pki, tmp_path: Path):
    server: IntakeServer = intake_factory(backend)
    kiosk = TestKiosk("kiosk-hb")
    with server.client(timeout=10) as client:
        assert kiosk.enrol(client, server.create_token(kiosk.kiosk_id)).status_code == 201
        assert kiosk.get(client, "/api/v1/master/manifest").status_code == 404
        version = server.publish_master(make_master(tmp_path / "m1", jpki))

        manifest = kiosk.get(client, "/api/v1/master/manifest")
        assert manifest.status_code == 200
        assert manifest.headers["etag"] == f'"{version}"'
        body = manifest.json()
        assert body["version"] == version
        names = [f["name"] for f in body["files"]]
        assert names == [
            "address_master.sqlite",
            "relationship_codes.json",
            "trust/jpki.pem",
            "ward_settings.json",
        ]
        for entry in body["files"]:
            got = kiosk.get(client, f"/api/v1/master/files/{entry['name']}")
            assert got.status_code == 200
            assert hashlib.sha256(got.content).hexdigest() == entry["sha256"]
            assert len(got.content) == entry["size"]
            local = (tmp_path / "m1" / entry["name"]).read_bytes()
            assert got.content == local

        not_modified = kiosk.get(
            client, "/api/v1/master/manifest", {"If-None-Match": f'"{version}"'}
        )
        assert not_modified.status_code == 304
        assert server.publish_master(tmp_path / "m1") == version  # same content: no new version
        newer = server.publish_master(make_master(tmp_path / "m2", jpki, phone="03-1111-1111"))
        assert newer != version
        changed = kiosk.get(client, "/api/v1/master/manifest", {"If-None-Match": f'"{version}"'})
        assert changed.status_code == 200 and changed.json()["version"] == newer
        pinned = kiosk.get(client, f"/api/v1/master/files/ward_settings.json?version={version}")
        assert json.loads(pinned.content) == {"phone": "03-0000-0000"}
        assert kiosk.get(client, "/api/v1/master/files/nope.json").status_code == 404
        unsigned = client.get("/api/v1/master/files/ward_settings.json")
        assert unsigned.status_code == 401

        beat = json.dumps(
            {"backlog": 3, "dead": 1, "master_version": newer, "app_version": "0.1.0"}
        ).encode()
        assert kiosk.post(client, HEARTBEAT, beat).status_code == 204

    (listed,) = store.list_kiosks(server.engine)
    assert (listed.backlog, listed.dead, listed.master_version, listed.app_version) == (
        3,
        1,
        newer,
        "0.1.0",
    )
    assert listed.last_contact_at is not None
    assert audit_actions(server.engine, version) == ["master.published"]
    assert audit_actions(server.engine, newer) == ["master.published"]


def test_migrations_are_recorded_once(intake_server: IntakeServer):
    intake_server.restart()
    with intake_server.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM schema_migrations"))]
    assert "0001_intake.sql" in names
    assert len(names) == len(set(names))


def test_https_is_served_with_the_dev_ca_only(intake_server: IntakeServer):
    with httpx.Client(timeout=5) as default_trust, pytest.raises(httpx.ConnectError):
        default_trust.get(f"{intake_server.base_url}/healthz")  # not a public CA
    with intake_server.client(timeout=5) as pinned:
        assert pinned.get("/healthz").json() == {"status": "ok"}
    with httpx.Client(timeout=5, verify=intake_server.ssl_context()) as by_name:
        url = f"https://localhost:{intake_server.port}/healthz"
        assert by_name.get(url).status_code == 200
