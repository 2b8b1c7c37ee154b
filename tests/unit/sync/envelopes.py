"""One filing, one clock and a signed envelope around them, for the envelope tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server_sync import envelope as env
from server_sync.ids import new_uuid7
from tests.unit.sync.pki import ResidentPki

FILING = json.dumps({"kind": "転居", "name": "山田 太郎"}, ensure_ascii=False).encode("utf-8")
NOW = datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC)


def build(key: Ed25519PrivateKey, pki: ResidentPki | None = None, filing: bytes = FILING) -> bytes:
    """A kiosk's envelope of ``filing`` at NOW (resident-signed if ``pki`` is given)."""
    return env.build_envelope(
        filing,
        kiosk_id="ward-01.k3",
        private_key=key,
        idempotency_key=new_uuid7(),
        created_at=NOW,
        resident_certificate=pki.cert_der if pki else None,
        resident_signature=pki.sign(filing) if pki else None,
    )
