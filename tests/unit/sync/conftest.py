"""Keys shared by the envelope tests: a resident PKI and a kiosk device key, one per module."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.unit.sync.pki import ResidentPki, make_pki


@pytest.fixture(scope="module")
def pki() -> ResidentPki:
    return make_pki()


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()
