"""OpenSC's jpki driver as an independent peer: same auth certificate, no more APDUs than it."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.hardware.card import pcsc
from kiosk.hardware.card.my_number_card import MyNumberCard

pytestmark = pytest.mark.pcsc

SELECT_AUTH_CERT = bytes.fromhex("00A4020C02000A")


def cert_part(commands: list[bytes]) -> list[bytes]:
    """The APDUs from SELECT EF 000A up to (not including) the next SELECT."""
    start = commands.index(SELECT_AUTH_CERT)
    part = [commands[start]]
    for command in commands[start + 1 :]:
        if command[1] == 0xA4:
            break
        part.append(command)
    return part


@pytest.fixture
def pkcs15_tool() -> str:
    tool = shutil.which("pkcs15-tool")
    if tool is None:
        pytest.skip("OpenSC is not installed (apt-get install opensc)")
    return tool


@pytest.mark.parametrize("identity", ["yamada", "smith"])
def test_opensc_reads_the_same_auth_certificate_with_no_fewer_apdus(
    pcsc_stack: Any, virtual_card: Any, pkcs15_tool: str, identity: str
) -> None:
    handle = virtual_card(identity)
    card = handle.card
    card.clear_log()
    proc = subprocess.run(
        [pkcs15_tool, "--reader", pcsc_stack.reader_name, "--read-certificate", "01"],
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    opensc_der = x509.load_pem_x509_certificate(proc.stdout).public_bytes(
        serialization.Encoding.DER
    )
    opensc_part = cert_part(card.commands)
    opensc_total = card.apdu_count

    card.clear_log()
    with pcsc.connect(pcsc_stack.reader_name) as transport:
        ours = MyNumberCard(transport).read_auth_certificate()
    our_part = cert_part(card.commands)

    assert ours.der == opensc_der
    assert ours.der == card.pki.card(card.identity).auth_cert_der
    assert len(our_part) <= len(opensc_part)
    assert card.apdu_count <= opensc_total
    assert all(len(c) == 5 and c[1] == 0xB0 for c in our_part[1:])  # short READ BINARY only


def test_opensc_lists_the_pins_with_the_tries_our_status_reports(
    pcsc_stack: Any, virtual_card: Any, pkcs15_tool: str
) -> None:
    virtual_card("tanaka_last_try")
    proc = subprocess.run(
        [pkcs15_tool, "--reader", pcsc_stack.reader_name, "--list-pins"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    tries = [
        line.split(":")[1].strip() for line in proc.stdout.splitlines() if "Tries left" in line
    ]
    with pcsc.connect(pcsc_stack.reader_name) as transport:
        status = MyNumberCard(transport).pin_status()
    assert tries == [str(status.auth_pin_tries), str(status.sign_pin_tries)] == ["3", "5"]
