"""``python -m kiosk.hardware.card.sim`` as its own process in the vpcd reader."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from smartcard.System import readers

from tests.fixtures.pcsc import PcscStack, card_absent, card_present

pytestmark = pytest.mark.pcsc

CLI = [sys.executable, "-m", "kiosk.hardware.card.sim"]


def _wait(predicate: object, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return True
        time.sleep(0.05)
    return False


def test_simulator_process_inserts_answers_and_leaves_on_sigterm(pcsc_stack: PcscStack) -> None:
    assert _wait(lambda: card_absent(pcsc_stack.reader_name), 8)
    proc = subprocess.Popen([*CLI, "--identity", "yamada", "--port", str(pcsc_stack.port)])
    try:
        assert _wait(lambda: card_present(pcsc_stack.reader_name), 15), "card never appeared"
        reader = next(r for r in readers() if str(r) == pcsc_stack.reader_name)
        connection = reader.createConnection()
        connection.connect()
        apdu = bytes.fromhex("00A4040C0AD3921000310001010408")
        assert connection.transmit(list(apdu))[1:] == (0x90, 0x00)
        connection.disconnect()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert _wait(lambda: card_absent(pcsc_stack.reader_name), 8)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_simulator_process_rejects_a_bad_identity_without_traceback() -> None:
    result = subprocess.run(
        [*CLI, "--identity", "/nonexistent/card.json"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "bad_identity" in result.stdout and "file not found" in result.stdout
    assert "Traceback" not in result.stderr
