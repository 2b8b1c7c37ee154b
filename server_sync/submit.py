"""What the kiosk app calls after printing: sign the filing and put it in the outbox.

One local transaction, no network: the separate sender process delivers it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from server_sync.config import SyncSettings
from server_sync.devicekey import load_or_create_device_key, load_or_create_outbox_key
from server_sync.envelope import build_envelope
from server_sync.outbox import Outbox


def enqueue_filing(
    settings: SyncSettings,
    filing_bytes: bytes,
    *,
    filing_id: str,
    resident_certificate: bytes | None,
    resident_signature: bytes | None,
    created_at: datetime | None = None,
) -> None:
    """Build the signed envelope for ``filing_bytes`` and enqueue it under ``filing_id``."""
    kiosk_id, _ = settings.require_intake()
    envelope = build_envelope(
        filing_bytes,
        kiosk_id=kiosk_id,
        private_key=load_or_create_device_key(settings.device_key_path),
        idempotency_key=filing_id,
        created_at=created_at or datetime.now(UTC),
        resident_certificate=resident_certificate,
        resident_signature=resident_signature,
    )
    with Outbox.open(
        settings.outbox_path, load_or_create_outbox_key(settings.outbox_key_path)
    ) as box:
        box.enqueue(envelope, filing_id)
