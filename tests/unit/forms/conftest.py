"""Fixtures for the filing-domain tests: the sample master, the example filings, a device key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.forms.master import AddressMaster
from kiosk.forms.master.sample_data import build_sample_master

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((REPO / "examples" / "filings").glob("*.json"))


@pytest.fixture(scope="session")
def sample_master_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample ward imported once per session."""
    path = tmp_path_factory.mktemp("master") / "master.sqlite"
    build_sample_master(path)
    return path


@pytest.fixture(scope="session")
def sample_master(sample_master_path: Path) -> Iterator[AddressMaster]:
    """The sample master, opened read-only."""
    with AddressMaster.open(sample_master_path) as master:
        yield master


@pytest.fixture(scope="session")
def device_key() -> Ed25519PrivateKey:
    """A kiosk device key for signing test payloads."""
    return Ed25519PrivateKey.generate()
