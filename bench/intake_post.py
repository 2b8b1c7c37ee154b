"""Benchmark: filing POSTs to a real intake (uvicorn + HTTPS + SQLite), against /healthz.

Baseline (same run, same connection): ``GET /healthz`` — TLS, HTTP and app overhead without any
checks. Measured: a new filing (every check of docs/protocol.md + parse + insert + audit row),
the replay of an already stored filing (answered ``duplicate``) and a forged envelope (refused at
the signature check). Prints medians in ms and ratios against the baseline.

Run: ``.venv/bin/python bench/intake_post.py [--rounds 100] [--db-url postgresql://…]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.fixtures.intake import IntakeServer, free_port  # noqa: E402
from tests.integration.intake.kit import Pki, TestKiosk, make_pki  # noqa: E402


def timed(fn: Callable[[], int], rounds: int, expect: int) -> list[float]:
    """Per-call wall times in ms (asserting the status each time)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        status = fn()
        times.append((time.perf_counter() - start) * 1000)
        if status != expect:
            raise SystemExit(f"unexpected status {status} (wanted {expect})")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    trust = tmp / "roots"
    trust.mkdir()
    pki: Pki = make_pki("bench JPKI root")
    (trust / "root.pem").write_bytes(pki.root_pem())
    db_url = args.db_url or f"sqlite:///{tmp / 'intake.db'}"
    server = IntakeServer(db_url, tmp / "data", free_port(), ("--trust-dir", str(trust)))
    server.start()
    try:
        kiosk = TestKiosk("bench-kiosk")
        card = pki.issue_card()
        with server.client(timeout=30) as client:
            if kiosk.enrol(client, server.create_token(kiosk.kiosk_id)).status_code != 201:
                raise SystemExit("enrolment failed")
            envelopes = [kiosk.envelope(card=card)[1] for _ in range(args.rounds)]
            stored = envelopes[0]
            impostor = TestKiosk(kiosk.kiosk_id)
            forged = impostor.envelope(card=card)[1]
            queue = iter(envelopes)
            baseline = timed(lambda: client.get("/healthz").status_code, args.rounds, 200)
            new = timed(
                lambda: kiosk.post_filing(client, next(queue)).status_code, args.rounds, 201
            )
            dup = timed(lambda: kiosk.post_filing(client, stored).status_code, args.rounds, 200)
            bad = timed(lambda: kiosk.post_filing(client, forged).status_code, args.rounds, 401)
    finally:
        server.close()
    base = statistics.median(baseline)
    print(
        f"backend: {db_url.split(':', 1)[0]}, rounds: {args.rounds},"
        f" at {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"
    )
    print(f"{'case':<28}{'median ms':>10}{'p90 ms':>10}{'ratio':>8}")
    for name, values in (
        ("GET /healthz (baseline)", baseline),
        ("POST new filing (201)", new),
        ("POST replay (200 duplicate)", dup),
        ("POST forged (401)", bad),
    ):
        med = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:<28}{med:>10.2f}{p90:>10.2f}{med / base:>8.1f}")
    print(f"new filings per second (sequential): {1000 / statistics.median(new):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
