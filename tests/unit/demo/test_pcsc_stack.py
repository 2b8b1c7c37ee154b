"""The demo's use of the machine's pcscd + vpcd: option probe, shared lock, fallback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.demo.environment import CardSlot, PcscUnavailableError
from kiosk.demo.pcsc_stack import DISABLE_POLKIT, PcscLock, pcscd_binary, pcscd_command
from kiosk.hardware.card.sim import TestPki
from tests.fixtures.pcsc import PcscStack

#: how long pcscd may take to tell a client that the powered card is there
PRESENT_WITHIN_S = 5.0

HOLD_LOCK = """
import fcntl, sys, time
handle = open(sys.argv[1], "a+")
fcntl.flock(handle, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def _fake_pcscd(tmp_path: Path, help_text: str) -> str:
    script = tmp_path / "pcscd"
    script.write_text(f"#!/bin/sh\necho '{help_text}'\n", encoding="ascii")
    script.chmod(0o755)
    return str(script)


def test_polkit_option_only_where_pcscd_lists_it(tmp_path: Path) -> None:
    old = _fake_pcscd(tmp_path, "usage: pcscd [-f|--foreground] [-d|--debug]")
    assert pcscd_command(old) == [old, "-f"]
    (tmp_path / "new").mkdir()
    new = _fake_pcscd(tmp_path / "new", "  -f, --foreground\n  --disable-polkit  do not use polkit")
    assert pcscd_command(new) == [new, "-f", DISABLE_POLKIT]


def test_installed_pcscd_gets_only_options_it_knows() -> None:
    binary = pcscd_binary()
    if binary is None:
        pytest.skip("pcscd / vsmartcard-vpcd not installed")
    probe = subprocess.run([binary, "--help"], capture_output=True, text=True, check=False)
    command = pcscd_command(binary)
    assert (DISABLE_POLKIT in command) == (DISABLE_POLKIT in probe.stdout + probe.stderr)


@pytest.fixture
def lock_held_elsewhere(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "pcsc.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield path
    holder.kill()
    holder.wait(5)


def test_lock_held_by_another_process_is_not_taken(lock_held_elsewhere: Path) -> None:
    lock = PcscLock(lock_held_elsewhere)
    assert lock.acquire() is False and not lock.held


def test_auto_falls_back_to_in_process_reader_when_the_lock_is_held(
    lock_held_elsewhere: Path,
) -> None:
    slot = CardSlot("auto", TestPki.shared(), lock=PcscLock(lock_held_elsewhere))
    try:
        assert slot.mode == "sim"
        assert "in-process" in slot.description and str(lock_held_elsewhere) in slot.description
        slot.insert("yamada")
        assert slot.sim.present()  # the card went into the in-process reader
    finally:
        slot.close()


def test_pcsc_mode_refuses_when_the_lock_is_held(lock_held_elsewhere: Path) -> None:
    with pytest.raises(PcscUnavailableError, match="held"):
        CardSlot("pcsc", TestPki.shared(), lock=PcscLock(lock_held_elsewhere))


def test_lock_is_released_on_close(tmp_path: Path) -> None:
    path = tmp_path / "pcsc.lock"
    slot = CardSlot("sim", TestPki.shared(), lock=PcscLock(path))
    first = PcscLock(path)
    assert first.acquire()
    first.release()
    slot.close()
    second = PcscLock(path)
    assert second.acquire()
    second.release()


def test_a_child_of_the_lock_holder_uses_the_parents_lock(
    lock_held_elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_PCSC_LOCK_HELD_BY", str(os.getppid()))
    lock = PcscLock(lock_held_elsewhere)
    assert lock.acquire() and lock.inherited
    lock.release()
    assert not lock.held


@pytest.mark.pcsc
def test_auto_takes_pcscd_and_vpcd_when_available(pcsc_stack: PcscStack, tmp_path: Path) -> None:
    # the session fixture holds the machine lock; this slot takes a private one
    slot = CardSlot("auto", TestPki.shared(), lock=PcscLock(tmp_path / "pcsc.lock"))
    try:
        assert slot.mode == "pcsc"
        assert "pcscd + vpcd" in slot.description
        reader = slot.reader()
        slot.insert("yamada")
        # pcscd has powered the card; its reader state reaches a client a moment later (the app
        # polls presence the same way)
        deadline = time.monotonic() + PRESENT_WITHIN_S
        while not reader.present() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reader.present()
    finally:
        slot.close()
