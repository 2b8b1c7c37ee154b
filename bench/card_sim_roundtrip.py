"""Benchmark: APDU round trip to the simulated card, in-process vs through pcscd + vpcd.

Baseline (same run): the in-process ``SimulatedTransport``. Measured: the same SELECT through
pcscd + vpcd with TCP_QUICKACK (the default) and without it (what a naive vpcd client costs,
~44 ms per APDU on Debian's vpcd 3.3). Prints medians and ratios; exits 1 if the QUICKACK path
has a median above 5 ms.

Run: ``.venv/bin/python bench/card_sim_roundtrip.py [--rounds 300]``. Takes the PC/SC test lock
(``/tmp/kiosk-pcsc.lock``), starts pcscd if none runs (and stops it again).
"""

from __future__ import annotations

import argparse
import fcntl
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from kiosk.hardware.card import pcsc
from kiosk.hardware.card.sim import SimulatedCard, SimulatedTransport, VpcdCard

READER = "Virtual PCD 00 00"
LOCK_PATH = "/tmp/kiosk-pcsc.lock"
SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")
MAX_MEDIAN_MS = 5.0


def wait(predicate: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def readers() -> list[str]:
    try:
        return pcsc.list_readers()
    except Exception:
        return []


def present() -> bool:
    try:
        return pcsc.is_card_present(READER)
    except Exception:
        return False


def start_pcscd() -> subprocess.Popen[bytes] | None:
    if READER in readers():
        return None
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=False)
    command = [binary, "-f"]
    if "--disable-polkit" in help_text.stdout + help_text.stderr:
        command.append("--disable-polkit")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait(lambda: READER in readers(), 10):
        proc.terminate()
        sys.exit("pcscd did not list the vpcd reader")
    return proc


def time_transmits(transmit: Callable[[bytes], tuple[bytes, int]], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        _, sw = transmit(SELECT_JPKI)
        samples.append(time.perf_counter() - started)
        if sw != 0x9000:
            sys.exit(f"unexpected SW {sw:04X}")
    return samples


def through_vpcd(card: SimulatedCard, rounds: int, *, quickack: bool) -> list[float]:
    vpcd = VpcdCard(card, quickack=quickack).start()
    try:
        if not wait(present, 10):
            sys.exit("pcscd did not see the simulated card")
        with pcsc.connect(READER) as transport:
            return time_transmits(transport.transmit, rounds)
    finally:
        vpcd.stop()
        wait(lambda: not present(), 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--slow-rounds", type=int, default=20, help="rounds without QUICKACK")
    args = parser.parse_args()
    card = SimulatedCard.from_file("yamada")
    baseline = time_transmits(SimulatedTransport(card).transmit, args.rounds)
    with open(LOCK_PATH, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = start_pcscd()
        try:
            fast = through_vpcd(card, args.rounds, quickack=True)
            slow = through_vpcd(card, args.slow_rounds, quickack=False)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(5)
    base_ms, fast_ms, slow_ms = (statistics.median(s) * 1000 for s in (baseline, fast, slow))
    print(f"in-process (baseline)     median {base_ms:8.3f} ms")
    print(
        f"vpcd with TCP_QUICKACK    median {fast_ms:8.3f} ms  ({fast_ms / base_ms:7.1f}x baseline)"
    )
    print(
        f"vpcd without TCP_QUICKACK median {slow_ms:8.3f} ms  ({slow_ms / base_ms:7.1f}x baseline)"
    )
    print(f"QUICKACK speed-up: {slow_ms / fast_ms:.0f}x")
    return 0 if fast_ms < MAX_MEDIAN_MS else 1


if __name__ == "__main__":
    sys.exit(main())
