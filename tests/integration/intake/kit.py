"""Test-side helpers for the intake: sample filings, a toy JPKI PKI, a signing test kiosk."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from kiosk.forms.codec import canonical_bytes
from server_sync.envelope import build_envelope, raw_public_key
from server_sync.ids import new_uuid7
from server_sync.request_auth import sign_request
from tests.fixtures.filings import build_filing

UTC = dt.UTC


def sample_filing(filing_id: str, *, name: str = "山田太郎", members: int = 1) -> bytes:
    """Canonical bytes of a plausible 転居 filing with the given id (tests/fixtures/filings.py)."""
    filing = build_filing(
        filing_id,
        name=name,
        members=members,
        created_at=dt.datetime(2026, 11, 27, 1, 0, tzinfo=UTC),
    )
    return canonical_bytes(filing)


@dataclass(frozen=True)
class Pki:
    """A toy JPKI: a root and a card (user-authentication) certificate it issued."""

    root: x509.Certificate
    root_key: rsa.RSAPrivateKey

    def root_pem(self) -> bytes:
        """The root as PEM (what goes into the trust dir)."""
        return self.root.public_bytes(serialization.Encoding.PEM)

    def issue_card(self, *, valid_days: int = 365) -> Card:
        """A new card key + certificate signed by this root."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = dt.datetime.now(UTC) - dt.timedelta(days=1)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "card holder")]))
            .issuer_name(self.root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=valid_days))
            .sign(self.root_key, hashes.SHA256())
        )
        return Card(cert, key)


@dataclass(frozen=True)
class Card:
    """A card's user-authentication certificate and private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    def der(self) -> bytes:
        """The certificate in DER (as read from the card)."""
        return self.cert.public_bytes(serialization.Encoding.DER)

    def sign(self, data: bytes) -> bytes:
        """RSA PKCS#1 v1.5 over SHA-256 — what the card computes over DigestInfo."""
        return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def make_pki(name: str) -> Pki:
    """A self-signed toy root named ``name``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Pki(cert, key)


@dataclass
class TestKiosk:
    """A kiosk as the intake sees it: an Ed25519 key, enrolment, signed requests."""

    __test__ = False  # not a pytest test class

    kiosk_id: str
    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    def enrol(self, client: httpx.Client, token: str) -> httpx.Response:
        """POST /api/v1/kiosks/enrol."""
        body = {
            "token": token,
            "kiosk_id": self.kiosk_id,
            "public_key": base64.b64encode(raw_public_key(self.key.public_key())).decode(),
        }
        return client.post("/api/v1/kiosks/enrol", json=body)

    def envelope(
        self,
        filing: bytes | None = None,
        *,
        filing_id: str | None = None,
        created_at: dt.datetime | None = None,
        card: Card | None = None,
        signing_card: Card | None = None,
    ) -> tuple[str, bytes]:
        """(filing_id, envelope bytes); ``signing_card`` signs while ``card``'s cert is sent."""
        fid = filing_id or new_uuid7()
        data = filing if filing is not None else sample_filing(fid)
        signer = signing_card or card
        env = build_envelope(
            data,
            kiosk_id=self.kiosk_id,
            private_key=self.key,
            idempotency_key=fid,
            created_at=created_at or dt.datetime.now(UTC),
            resident_certificate=card.der() if card else None,
            resident_signature=signer.sign(data) if signer else None,
        )
        return fid, env

    def headers(
        self, method: str, path: str, body: bytes, now: dt.datetime | None = None
    ) -> dict[str, str]:
        """The signed X-Kiosk-* headers for one request."""
        moment = now or dt.datetime.now(UTC)
        auth = sign_request(self.key, self.kiosk_id, method, path, body, moment)
        return auth.headers()

    def post(
        self, client: httpx.Client, path: str, body: bytes, now: dt.datetime | None = None
    ) -> httpx.Response:
        """A signed POST with a JSON body."""
        headers = {"Content-Type": "application/json", **self.headers("POST", path, body, now)}
        return client.post(path, content=body, headers=headers)

    def get(
        self, client: httpx.Client, path: str, extra: dict[str, str] | None = None
    ) -> httpx.Response:
        """A signed GET (the signature covers the path without its query)."""
        headers = {**self.headers("GET", path.split("?", 1)[0], b""), **(extra or {})}
        return client.get(path, headers=headers)

    def post_filing(self, client: httpx.Client, envelope: bytes) -> httpx.Response:
        """POST /api/v1/filings with the envelope bytes exactly as given."""
        return self.post(client, "/api/v1/filings", envelope)
