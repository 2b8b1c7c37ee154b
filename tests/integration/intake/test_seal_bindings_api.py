"""POST /api/v1/seal-bindings/lookup on a real uvicorn intake (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.fixtures.intake import IntakeFactory, IntakeServer
from tests.integration.intake.kit import Pki
from tests.integration.intake.seal_kit import card, crl, pem, run_cli

PATH = "/api/v1/seal-bindings/lookup"


def staff_auth(server: IntakeServer) -> tuple[str, str]:
    """The first (admin) account the server created on its first start."""
    username, password = (server.data_dir / "initial-admin-password").read_text().split()[:2]
    return username, password


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_lookup_api(
    backend: str, intake_factory: IntakeFactory, tmp_path: Path, jpki: Pki, trust_dir: Path
) -> None:
    server = intake_factory(backend, ("--trust-dir", str(trust_dir)))
    bound = card(jpki)
    cert_pem = pem(tmp_path / "bound.pem", bound)
    added = run_cli(
        "bindings",
        "add",
        "--db",
        server.db_url,
        "--trust-dir",
        str(trust_dir),
        "--cert",
        str(cert_pem),
        "--resident-id",
        "A-42",
        "--seal-number",
        "1234",
    )
    assert added.returncode == 0, added.stderr
    der_b64 = base64.b64encode(bound.der()).decode()
    issuer = jpki.root.subject.rfc4514_string()
    serial = format(bound.cert.serial_number, "X")
    auth = staff_auth(server)
    with server.client(timeout=10) as client:
        # no account, a wrong password: 401 and nothing else
        assert client.post(PATH, json={"certificate": der_b64}).status_code == 401
        wrong = client.post(PATH, json={"certificate": der_b64}, auth=(auth[0], "nope"))
        assert wrong.status_code == 401 and "seal_number" not in wrong.text
        for body in (
            {"certificate": cert_pem.read_text()},
            {"certificate": der_b64},
            {"issuer": issuer, "serial": serial},
        ):
            answer = client.post(PATH, json=body, auth=auth)
            assert answer.status_code == 200, answer.text
            assert answer.json() == {"status": "active", "seal_number": "1234"}
        other = base64.b64encode(card(jpki).der()).decode()
        unknown = client.post(PATH, json={"certificate": other}, auth=auth)
        assert unknown.json() == {"status": "unknown", "seal_number": None}
        bad = client.post(PATH, json={"certificate": "not a certificate"}, auth=auth)
        assert bad.status_code == 400
        assert client.post(PATH, json={"serial": serial}, auth=auth).status_code == 400

        # a CRL imported while the server runs: the next lookup says revoked
        crl_file = tmp_path / "crl.pem"
        crl_file.write_bytes(
            crl(jpki, [bound.cert.serial_number], number=7, encoding=serialization.Encoding.PEM)
        )
        imported = run_cli(
            "crl", "import", "--db", server.db_url, "--trust-dir", str(trust_dir), str(crl_file)
        )
        assert imported.returncode == 0, imported.stderr
        revoked = client.post(PATH, json={"certificate": der_b64}, auth=auth)
        assert revoked.json() == {"status": "revoked", "seal_number": None}


def test_disabled_account_is_refused_at_once(
    intake_factory: IntakeFactory, jpki: Pki, trust_dir: Path
) -> None:
    server = intake_factory("sqlite", ("--trust-dir", str(trust_dir)))
    auth = staff_auth(server)
    body = {"certificate": base64.b64encode(card(jpki).der()).decode()}
    with server.client(timeout=10) as client:
        assert client.post(PATH, json=body, auth=auth).status_code == 200
        run = run_cli("staff", "disable", "--db", server.db_url, "--username", auth[0])
        assert run.returncode == 0, run.stderr
        # the remembered password check must not outlive the account
        assert client.post(PATH, json=body, auth=auth).status_code == 401
