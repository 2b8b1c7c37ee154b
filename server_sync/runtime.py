"""Wiring: open the outbox, keys and intake client from the settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata

from server_sync.config import SyncSettings
from server_sync.devicekey import load_or_create_device_key, load_or_create_outbox_key
from server_sync.outbox import Outbox
from server_sync.transport import IntakeClient

DISTRIBUTION = "kiosk"


def app_version() -> str:
    """The installed kiosk package version."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def open_outbox(settings: SyncSettings) -> Outbox:
    """The outbox of this kiosk (keys are created on first use)."""
    key = load_or_create_outbox_key(settings.outbox_key_path)
    return Outbox.open(settings.outbox_path, key, policy=settings.retry)


@contextmanager
def intake_client(settings: SyncSettings) -> Iterator[IntakeClient]:
    """An authenticated client for the configured intake node(s) (requires enrolment settings)."""
    kiosk_id, _ = settings.require_intake()
    client = IntakeClient(
        settings.intake_nodes,
        kiosk_id=kiosk_id,
        private_key=load_or_create_device_key(settings.device_key_path),
        ca_file=settings.ca_file,
        connect_timeout_s=settings.connect_timeout_s,
        read_timeout_s=settings.read_timeout_s,
        proxy=settings.proxy,
    )
    try:
        yield client
    finally:
        client.close()
