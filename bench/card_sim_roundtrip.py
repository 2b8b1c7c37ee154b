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
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.hardware.card import pcsc  # noqa: E402
from kiosk.hardware.card.sim import SimulatedCard, SimulatedTransport, VpcdCard  # noqa: E402
from tests.fixtures.pcsc import card_absent, card_present, running_pcscd, wait_until  # noqa: E402

READER = "Virtual PCD 00 00"
SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")
MAX_MEDIAN_MS = 5.0


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
        if not wait_until(lambda: card_present(READER), 10):
            sys.exit("pcscd did not see the simulated card")
        with pcsc.connect(READER) as transport:
            return time_transmits(transport.transmit, rounds)
    finally:
        vpcd.stop()
        wait_until(lambda: card_absent(READER), 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--slow-rounds", type=int, default=20, help="rounds without QUICKACK")
    args = parser.parse_args()
    card = SimulatedCard.from_file("yamada")
    baseline = time_transmits(SimulatedTransport(card).transmit, args.rounds)
    with running_pcscd():  # the PC/SC test lock; starts pcscd if none runs, stops it after
        fast = through_vpcd(card, args.rounds, quickack=True)
        slow = through_vpcd(card, args.slow_rounds, quickack=False)
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
