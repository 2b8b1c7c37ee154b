"""A console (Chromium) on an intake that trusts a toy JPKI, and card-signed filings for it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.forms.codec import canonical_bytes
from kiosk.forms.model import NO_ADDRESS, CardCertificate, Filing, FilingKind, SealCard
from server_sync.envelope import build_envelope
from server_sync.intake import store
from server_sync.request_auth import sign_request
from tests.fixtures.filings import build_filing
from tests.fixtures.intake import IntakeFactory
from tests.integration.console.conftest import CHROMEDRIVER, CHROMIUM, Console, _driver, spki_hash
from tests.integration.intake.kit import Card, Pki, make_pki
from tests.unit.console.helpers import (
    FILINGS_PATH,
    KIOSK_ID,
    STAFF_PASSWORD,
    STAFF_USER,
    b64,
    raw_public_key,
)

UTC = dt.UTC


@dataclass
class SealConsole:
    """The browser console plus the JPKI its intake trusts and the trust folder."""

    console: Console
    pki: Pki
    trust_dir: Path


def seal_filing(card: Card) -> Filing:
    """A 「マイナンバーカードを印鑑登録証として利用する申請」 of one card holder."""
    base = build_filing()
    cert = card.cert
    return dataclasses.replace(
        base,
        kind=FilingKind.SEAL_CARD_BINDING,
        new_address=NO_ADDRESS,
        moved_on=base.notified_on,
        members=(dataclasses.replace(base.members[0], honseki=None),),
        related=(),
        seal_card=SealCard(seal_registered=True),
        card_certificate=CardCertificate(
            serial=format(cert.serial_number, "x"),
            issuer=cert.issuer.rfc4514_string(),
            not_after=cert.not_valid_after_utc.date(),
        ),
    )


def post_signed(console: Console, filing: Filing, card: Card | None) -> None:
    """POST the filing as a kiosk does, signed by the card (its certificate in the envelope)."""
    data = canonical_bytes(filing)
    body = build_envelope(
        data,
        kiosk_id=KIOSK_ID,
        private_key=console.kiosk_key,
        idempotency_key=filing.id,
        created_at=dt.datetime.now(UTC),
        resident_certificate=card.der() if card else None,
        resident_signature=card.sign(data) if card else None,
    )
    auth = sign_request(
        console.kiosk_key, KIOSK_ID, "POST", FILINGS_PATH, body, dt.datetime.now(UTC)
    )
    headers = {**auth.headers(), "Content-Type": "application/json"}
    with console.server.client() as client:
        response = client.post(FILINGS_PATH, content=body, headers=headers)
    assert response.status_code == 201, response.text


@pytest.fixture
def seal_console(
    intake_factory: IntakeFactory, artifacts_dir: Path, tmp_path: Path
) -> Iterator[SealConsole]:
    """An intake trusting a fresh toy JPKI, an enrolled kiosk, a clerk, and Chromium on it."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Debian chromium and chromium-driver are not installed")
    pki = make_pki("Toy JPKI user authentication CA")
    trust = tmp_path / "jpki"
    trust.mkdir()
    (trust / "jpki-auth-root.pem").write_bytes(pki.root_pem())
    server = intake_factory("sqlite", ("--trust-dir", str(trust)))
    key = Ed25519PrivateKey.generate()
    token = server.create_token(KIOSK_ID)
    with server.client() as client:
        response = client.post(
            "/api/v1/kiosks/enrol",
            json={"token": token, "kiosk_id": KIOSK_ID, "public_key": b64(raw_public_key(key))},
        )
    assert response.status_code == 201, response.text
    store.create_staff(
        server.engine, STAFF_USER, STAFF_PASSWORD, now=dt.datetime.now(UTC), actor="test",
        role="clerk",
    )  # fmt: skip
    server_pem = (server.data_dir / "tls" / "server.pem").read_bytes()
    profile = Path(tempfile.mkdtemp(prefix="console-chromium-"))
    driver = _driver(spki_hash(server_pem), profile)
    try:
        yield SealConsole(Console(server, driver, key, artifacts_dir), pki, trust)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
