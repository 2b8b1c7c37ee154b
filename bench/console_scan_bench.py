"""Clerk console: time to handle one scanned QR part end to end, against a bare decode.

Baseline: ``kiosk.forms.payload.decode_payload`` of the same part with the kiosk key (what any
reader must do). Measured: POST /console/scan through the real app (TestClient, SQLite on disk):
form parsing, session + CSRF check, part storage, decode, kiosk-key lookup, verification and
saving the scan. Prints both medians and the ratio.

Usage: .venv/bin/python bench/console_scan_bench.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.forms.payload import decode_payload
from tests.unit.console.conftest import make_world
from tests.unit.console.helpers import make_filing, qr_parts

ROUNDS = 60
MEMBERS = 6


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        world_iter = make_world(Path(tmp))
        world = next(world_iter)
        csrf = world.login()
        key = world.kiosk_key
        parts = [qr_parts(make_filing(MEMBERS), key)[0] for _ in range(ROUNDS)]
        baseline: list[float] = []
        for part in parts:
            start = time.perf_counter()
            decode_payload([part], trusted_keys=[key.public_key()])
            baseline.append(time.perf_counter() - start)
        handled: list[float] = []
        for part in parts:
            start = time.perf_counter()
            response = world.client.post(
                "/console/scan",
                data={"part": part, "csrf_token": csrf},
                headers={"Accept": "application/json"},
            )
            handled.append(time.perf_counter() - start)
            if response.json().get("state") != "complete":
                raise SystemExit(f"scan failed: {response.text}")
        base, full = median_ms(baseline), median_ms(handled)
        print(f"part size: {len(parts[0])} chars, {MEMBERS} members, {ROUNDS} rounds")
        print(f"baseline decode_payload median: {base:.2f} ms")
        print(f"console POST /console/scan median: {full:.2f} ms")
        print(f"ratio console/decode: {full / base:.1f}x")
        for _ in world_iter:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
