"""Keys and certificates shared by the card unit tests (generated once per session)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509

from tests.unit.card import builders

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
T1 = dt.datetime(2035, 1, 1, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _no_state_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The reader's default CV-certificate cache ($KIOSK_STATE_DIR) must not warm up here."""
    monkeypatch.setenv("KIOSK_STATE_DIR", str(tmp_path / "no-state-folder"))


@pytest.fixture(scope="session")
def keys() -> builders.Keys:
    return builders.make_keys()


@pytest.fixture(scope="session")
def root_cert(keys: builders.Keys) -> x509.Certificate:
    subject = builders.name("JPKI for user authentication")
    return builders.certificate(
        subject, keys.root, subject, keys.root, serial=1, not_before=T0, not_after=T1, ca=True
    )


@pytest.fixture(scope="session")
def leaf_cert(keys: builders.Keys, root_cert: x509.Certificate) -> x509.Certificate:
    subject = x509.Name(
        [x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "997794E9AGCIEG13221003A")]
    )
    return builders.certificate(
        subject,
        keys.leaf,
        root_cert.subject,
        keys.root,
        serial=0x0705D990,
        not_before=dt.datetime(2025, 10, 27, tzinfo=dt.UTC),
        not_after=dt.datetime(2030, 2, 17, 14, 59, 59, tzinfo=dt.UTC),
        ca=False,
    )
