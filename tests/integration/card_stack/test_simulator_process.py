"""``python -m kiosk.hardware.card.sim`` as its own process in the vpcd reader."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from smartcard.System import readers

from kiosk.hardware.card.sim import Identity, TestPki, example_path
from tests.fixtures.pcsc import PcscStack, card_absent, card_present, wait_until

pytestmark = pytest.mark.pcsc

CLI = [sys.executable, "-m", "kiosk.hardware.card.sim"]


def test_simulator_process_inserts_answers_and_leaves_on_sigterm(
    pcsc_stack: PcscStack, test_pki: TestPki
) -> None:
    assert wait_until(lambda: card_absent(pcsc_stack.reader_name), 8)
    proc = subprocess.Popen([*CLI, "--identity", "yamada", "--port", str(pcsc_stack.port)])
    try:
        assert wait_until(lambda: card_present(pcsc_stack.reader_name), 15), "card never appeared"
        reader = next(r for r in readers() if str(r) == pcsc_stack.reader_name)
        connection = reader.createConnection()
        connection.connect()
        for hex_apdu in ("00A4040C0AD392F000260100000001", "00A4020C02000A"):
            assert connection.transmit(list(bytes.fromhex(hex_apdu)))[1:] == (0x90, 0x00)
        data, sw1, sw2 = connection.transmit(list(bytes.fromhex("00B00000000000")))
        connection.disconnect()
        # same seed and cache as the test process: the trust_dir fixture fits this card too
        expected = test_pki.card(Identity.load(example_path("yamada"))).auth_cert_der
        assert (sw1, sw2) == (0x90, 0x00) and bytes(data[: len(expected)]) == expected
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert wait_until(lambda: card_absent(pcsc_stack.reader_name), 8)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_simulator_process_rejects_a_bad_identity_without_traceback() -> None:
    result = subprocess.run(
        [*CLI, "--identity", "/nonexistent/card.json"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "bad_identity" in result.stderr and "file not found" in result.stderr
    assert "Traceback" not in result.stderr
    bad_port = subprocess.run([*CLI, "--identity", "yamada", "--port", "0"], capture_output=True)
    assert bad_port.returncode == 2 and b"port must be" in bad_port.stderr
