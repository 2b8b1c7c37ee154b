"""``bindings lookup|add`` and ``crl import`` as administrators run them, on SQLite and PostgreSQL.

Real subprocesses against a real database; the certificates and CRLs come from the toy JPKI.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import text

from server_sync.intake.bindings.certs import facts_of
from server_sync.intake.bindings.store import add_binding
from server_sync.intake.db import migrate, open_engine
from tests.integration.intake.kit import Pki
from tests.integration.intake.seal_kit import card, crl, intake_cli, pem, run_cli

UTC = dt.UTC


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh (not yet created) database of each backend."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_database"))
    return f"sqlite:///{tmp_path / 'intake.db'}"


def _lookup(db: str, trust: Path, cert: Path) -> dict[str, object]:
    run = run_cli("bindings", "lookup", "--db", db, "--trust-dir", str(trust), "--cert", str(cert))
    assert run.returncode == 0, run.stderr
    answer: dict[str, object] = json.loads(run.stdout)
    return answer


def _rows(db: str, sql: str) -> list[tuple[object, ...]]:
    engine = open_engine(db)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_add_lookup_renew_and_refusals(
    db_url: str, tmp_path: Path, jpki: Pki, rogue_pki: Pki, trust_dir: Path
) -> None:
    first = pem(tmp_path / "first.pem", card(jpki))
    # a fresh database: the command creates the schema itself and knows nothing yet
    assert _lookup(db_url, trust_dir, first) == {"status": "unknown", "seal_number": None}

    forged = pem(tmp_path / "forged.pem", card(rogue_pki))  # same issuer name, other key
    run = run_cli(
        "bindings",
        "add",
        "--db",
        db_url,
        "--trust-dir",
        str(trust_dir),
        "--cert",
        str(forged),
        "--resident-id",
        "123456789",
        "--seal-number",
        "S-1",
    )
    assert run.returncode != 0
    assert "untrusted_certificate" in run.stderr
    assert _rows(db_url, "SELECT count(*) FROM seal_bindings") == [(0,)]

    run = intake_cli(
        "bindings",
        "add",
        "--db",
        db_url,
        "--trust-dir",
        str(trust_dir),
        "--cert",
        str(first),
        "--resident-id",
        "123456789",
        "--seal-number",
        "S-1",
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["status"] == "active"
    assert _lookup(db_url, trust_dir, first) == {"status": "active", "seal_number": "S-1"}
    # the forged copy of an issuer name never yields the 印鑑登録番号
    assert _lookup(db_url, trust_dir, forged)["status"] == "unknown"
    # issuer + serial (what a counter system reads off the card) answers the same
    serial = format(card_serial(first), "x")
    issuer = jpki.root.subject.rfc4514_string()
    run = intake_cli(
        "bindings",
        "lookup",
        "--db",
        db_url,
        "--trust-dir",
        str(trust_dir),
        "--issuer",
        issuer,
        "--serial",
        serial.upper(),
    )
    assert json.loads(run.stdout) == {"status": "active", "seal_number": "S-1"}

    # the certificate renewed (new serial): unknown until bound; binding it ends the old one
    renewed = pem(tmp_path / "renewed.pem", card(jpki))
    assert _lookup(db_url, trust_dir, renewed) == {"status": "unknown", "seal_number": None}
    run = run_cli(
        "bindings",
        "add",
        "--db",
        db_url,
        "--trust-dir",
        str(trust_dir),
        "--cert",
        str(renewed),
        "--resident-id",
        "123456789",
        "--seal-number",
        "S-1",
    )
    assert run.returncode == 0, run.stderr
    assert _lookup(db_url, trust_dir, renewed) == {"status": "active", "seal_number": "S-1"}
    assert _lookup(db_url, trust_dir, first) == {"status": "ended", "seal_number": None}
    rows = _rows(db_url, "SELECT status, end_reason FROM seal_bindings ORDER BY created_at")
    assert rows == [("ended", "replaced"), ("active", None)]
    # the same certificate twice: refused, nothing written
    again = run_cli(
        "bindings",
        "add",
        "--db",
        db_url,
        "--trust-dir",
        str(trust_dir),
        "--cert",
        str(renewed),
        "--resident-id",
        "99",
        "--seal-number",
        "S-9",
    )
    assert again.returncode != 0 and "binding_conflict" in again.stderr
    assert _rows(db_url, "SELECT count(*) FROM seal_bindings") == [(2,)]
    # never the 個人番号 (nor any 12-digit number) in the audit log
    audit = _rows(db_url, "SELECT detail FROM audit_log WHERE subject_type = 'seal_binding'")
    assert audit and all("123456789" not in str(d) and "S-1" not in str(d) for (d,) in audit)


def card_serial(path: Path) -> int:
    from cryptography import x509

    return x509.load_pem_x509_certificate(path.read_bytes()).serial_number


def test_expired_certificate(db_url: str, tmp_path: Path, jpki: Pki, trust_dir: Path) -> None:
    # bound while valid (2020), looked up today: expired, no seal number
    old = card(jpki, start=dt.datetime(2020, 1, 1, tzinfo=UTC), days=365)
    engine = open_engine(db_url)
    migrate(engine)  # a database in use (created by the server's migrations)
    from server_sync.intake.verify import load_roots

    add_binding(
        engine,
        facts_of(old.cert, load_roots(trust_dir)),
        resident_id="77",
        seal_number="S-77",
        actor="cli:test",
        now=dt.datetime(2020, 6, 1, tzinfo=UTC),
    )
    engine.dispose()
    path = pem(tmp_path / "old.pem", old)
    assert _lookup(db_url, trust_dir, path) == {"status": "expired", "seal_number": None}
    # and an expired certificate is never bound now
    run = run_cli(
        "bindings",
        "add",
        "--db",
        db_url,
        "--trust-dir",
        str(trust_dir),
        "--cert",
        str(path),
        "--resident-id",
        "78",
        "--seal-number",
        "S-78",
    )
    assert run.returncode != 0 and "expired" in run.stderr


def test_crl_import_revokes_and_refuses_forged_and_outdated(
    db_url: str, tmp_path: Path, jpki: Pki, trust_dir: Path
) -> None:
    bound, other = card(jpki), card(jpki)
    bound_pem = pem(tmp_path / "bound.pem", bound)
    run = run_cli(
        "bindings",
        "add",
        "--db",
        db_url,
        "--trust-dir",
        str(trust_dir),
        "--cert",
        str(bound_pem),
        "--resident-id",
        "5",
        "--seal-number",
        "S-5",
    )
    assert run.returncode == 0, run.stderr

    first = tmp_path / "crl-1.der"
    first.write_bytes(
        crl(
            jpki,
            [other.cert.serial_number],
            number=1,
            this_update=dt.datetime.now(UTC) - dt.timedelta(hours=2),
        )
    )
    run = intake_cli("crl", "import", "--db", db_url, "--trust-dir", str(trust_dir), str(first))
    assert run.returncode == 0, run.stderr
    assert _lookup(db_url, trust_dir, bound_pem)["status"] == "active"

    # forged: the same issuer name, signed by another key → refused, nothing changed
    forged = tmp_path / "forged.der"
    forged_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged.write_bytes(crl(jpki, [bound.cert.serial_number], number=5, signer=forged_key))
    run = run_cli("crl", "import", "--db", db_url, "--trust-dir", str(trust_dir), str(forged))
    assert run.returncode != 0 and "crl_refused" in run.stderr
    assert _rows(db_url, "SELECT crl_number FROM jpki_crls") == [("1",)]
    assert _lookup(db_url, trust_dir, bound_pem)["status"] == "active"

    # a newer, genuine CRL (PEM this time) listing the bound serial → revoked at once
    second = tmp_path / "crl-2.pem"
    second.write_bytes(
        crl(
            jpki,
            [other.cert.serial_number, bound.cert.serial_number],
            number=2,
            encoding=serialization.Encoding.PEM,
        )
    )
    run = run_cli("crl", "import", "--db", db_url, "--trust-dir", str(trust_dir), str(second))
    assert run.returncode == 0, run.stderr
    assert "1 bindings revoked" in run.stdout
    assert _lookup(db_url, trust_dir, bound_pem) == {"status": "revoked", "seal_number": None}

    # outdated: the older CRL again (number 1 < 2) and an older thisUpdate → refused, unchanged
    run = run_cli("crl", "import", "--db", db_url, "--trust-dir", str(trust_dir), str(first))
    assert run.returncode != 0 and "older" in run.stderr
    stale = tmp_path / "stale.der"
    stale.write_bytes(
        crl(jpki, [], number=3, this_update=dt.datetime.now(UTC) - dt.timedelta(days=3))
    )
    run = run_cli("crl", "import", "--db", db_url, "--trust-dir", str(trust_dir), str(stale))
    assert run.returncode != 0 and "older" in run.stderr
    assert _rows(db_url, "SELECT crl_number, revoked FROM jpki_crls") == [("2", 2)]
    assert len(_rows(db_url, "SELECT serial FROM jpki_revoked")) == 2
    # a revoked certificate is never bound again
    run = run_cli(
        "bindings",
        "add",
        "--db",
        db_url,
        "--trust-dir",
        str(trust_dir),
        "--cert",
        str(bound_pem),
        "--resident-id",
        "5",
        "--seal-number",
        "S-5",
    )
    assert run.returncode != 0 and "revoked" in run.stderr
