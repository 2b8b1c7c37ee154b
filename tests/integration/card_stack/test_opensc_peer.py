"""OpenSC's jpki driver as an independent peer of the simulated JPKI AP (test-stack.md §2)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from kiosk.hardware.card.sim import App, GenericCard, TestPki
from kiosk.hardware.card.sim import constants as c
from tests.fixtures.pcsc import VirtualCardFactory

PKCS11_MODULES = (
    Path("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"),
    Path("/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so"),
    Path("/usr/lib/opensc-pkcs11.so"),
)

pytestmark = [
    pytest.mark.pcsc,
    pytest.mark.skipif(
        shutil.which("pkcs15-tool") is None,
        reason="OpenSC is not installed (apt-get install opensc)",
    ),
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=False)


def _tries_left(listing: str) -> list[int]:
    return [int(n) for n in re.findall(r"Tries left\s*:\s*(\d+)", listing)]


def test_opensc_recognises_the_card_as_jpki(virtual_card: VirtualCardFactory) -> None:
    virtual_card("yamada")
    result = _run("opensc-tool", "-r", "0", "-n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "jpki"


def test_list_pins_shows_the_cards_counters(virtual_card: VirtualCardFactory) -> None:
    virtual_card("yamada")
    assert _tries_left(_run("pkcs15-tool", "-r", "0", "--list-pins").stdout) == [3, 5]


def test_list_pins_of_a_blocked_card(virtual_card: VirtualCardFactory) -> None:
    virtual_card("suzuki_blocked")
    assert _tries_left(_run("pkcs15-tool", "-r", "0", "--list-pins").stdout) == [0, 5]


def test_read_certificate_is_byte_identical_to_the_simulators(
    virtual_card: VirtualCardFactory, test_pki: TestPki
) -> None:
    handle = virtual_card("takahashi")
    result = _run("pkcs15-tool", "-r", "0", "--read-certificate", "01")
    assert result.returncode == 0, result.stderr
    cert = x509.load_pem_x509_certificate(result.stdout.encode())
    expected = test_pki.card(handle.card.identity).auth_cert_der
    assert cert.public_bytes(Encoding.DER) == expected
    assert (App.JPKI, c.EF_JPKI_AUTH_CERT) in handle.card.files_read


def test_wrong_pin_through_opensc_decrements_the_counter(virtual_card: VirtualCardFactory) -> None:
    handle = virtual_card("yamada")
    result = _run("pkcs15-tool", "-r", "0", "--verify-pin", "--auth-id", "01", "--pin", "9999")
    assert result.returncode != 0
    assert handle.card.pin(App.JPKI, c.EF_JPKI_AUTH_PIN).tries_left == 2
    assert _tries_left(_run("pkcs15-tool", "-r", "0", "--list-pins").stdout)[0] == 2
    ok = _run("pkcs15-tool", "-r", "0", "--verify-pin", "--auth-id", "01", "--pin", "1234")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert handle.card.pin(App.JPKI, c.EF_JPKI_AUTH_PIN).tries_left == 3


def test_pkcs11_signature_verifies_with_the_auth_certificate(
    virtual_card: VirtualCardFactory, test_pki: TestPki, tmp_path: Path
) -> None:
    module = next((m for m in PKCS11_MODULES if m.exists()), None)
    if module is None:
        pytest.skip("opensc-pkcs11.so not found")
    handle = virtual_card("yamada")
    message = tmp_path / "message.txt"
    message.write_bytes("住民異動届".encode())
    signature = tmp_path / "message.sig"
    result = _run(
        "pkcs11-tool", "--module", str(module), "--slot-index", "0", "--login", "--pin", "1234",
        "--sign", "--id", "01", "-m", "SHA256-RSA-PKCS",
        "-i", str(message), "-o", str(signature),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    cert = x509.load_der_x509_certificate(test_pki.card(handle.card.identity).auth_cert_der)
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(signature.read_bytes(), message.read_bytes(), padding.PKCS1v15(), hashes.SHA256())
    signs = [cmd for cmd in handle.card.commands if cmd[:2] == b"\x80\x2a"]
    assert len(signs) == 1 and signs[0][2:4] == b"\x00\x80"


def test_opensc_does_not_take_a_generic_card_for_jpki(
    virtual_card: VirtualCardFactory, test_pki: TestPki
) -> None:
    virtual_card(card=GenericCard(pki=test_pki))
    assert _run("opensc-tool", "-r", "0", "-n").stdout.strip() != "jpki"
