"""Soak test of delivery under kill -9: prints lost/duplicate counts and a throughput ratio.

Runs the real sender (``python -m server_sync run``) against the real intake (uvicorn, HTTPS,
SQLite or PostgreSQL) and, for ``--iterations`` rounds, enqueues 1–3 filings, waits a random
moment and SIGKILLs either the sender or the intake, then restarts it. At the end the backlog must
drain and the intake must hold every enqueued filing exactly once.

Baseline (same run, same machine): the time to deliver the same number of filings with no faults.
The ratio fault-run / baseline shows what the crashes cost. Exit status 1 if anything was lost or
duplicated.

    .venv/bin/python bench/soak_delivery.py [--iterations 200] [--backend sqlite|postgres]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.fixtures.intake import IntakeServer, free_port  # noqa: E402
from tests.integration.delivery.harness import (  # noqa: E402
    KioskUnderTest,
    central_filings,
    lost_and_duplicates,
    run_kill_rounds,
)


def _postgres_db() -> tuple[str, object]:
    """Start a throwaway cluster via the shared fixture's generator; returns (db url, closer)."""
    from tests.fixtures import intake as fx

    gen = fx.postgres_url.__wrapped__()  # type: ignore[attr-defined]
    server_url = next(gen)
    return fx.create_database(server_url), gen


def _server(base: Path, backend: str) -> tuple[IntakeServer, object | None]:
    closer = None
    if backend == "postgres":
        db_url, closer = _postgres_db()
    else:
        db_url = f"sqlite:///{base / 'intake.db'}"
    server = IntakeServer(db_url, base / "data", free_port())
    server.start()
    return server, closer


def _kiosk(base: Path, server: IntakeServer, name: str) -> KioskUnderTest:
    kiosk = KioskUnderTest(base / name, kiosk_id=name)
    kiosk.enrol(server.base_url, server.create_token(name), server.ca_file)
    return kiosk


def baseline(base: Path, server: IntakeServer, count: int) -> float:
    """Seconds to deliver ``count`` filings with the sender running and no faults."""
    kiosk = _kiosk(base, server, "baseline")
    kiosk.start_sender()
    started = time.monotonic()
    for _ in range(count):
        kiosk.enqueue(1)
    kiosk.wait_drained(600)
    elapsed = time.monotonic() - started
    kiosk.stop_sender()
    lost, dup = lost_and_duplicates(
        kiosk.enqueued,
        {k: v for k, v in central_filings(server.engine).items() if k in set(kiosk.enqueued)},
    )
    if lost or dup:
        raise SystemExit(f"baseline itself lost {len(lost)} / duplicated {dup}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    base = Path(tempfile.mkdtemp(prefix="soak-delivery-"))
    server, closer = _server(base, args.backend)
    try:
        kiosk = _kiosk(base, server, "soak")
        report = run_kill_rounds(kiosk, server, args.iterations, random.Random(seed))
        base_s = baseline(base, server, report.enqueued)
    finally:
        server.close()
        if closer is not None:
            for _ in closer:  # type: ignore[attr-defined]
                pass
    per_filing_fault = report.elapsed_s / report.enqueued
    per_filing_base = base_s / report.enqueued
    print(f"backend             {args.backend}")
    print(f"seed                {seed}")
    print(f"iterations          {report.iterations}")
    print(f"kills               sender {report.sender_kills}, intake {report.intake_kills}")
    print(f"filings enqueued    {report.enqueued}")
    print(f"lost                {len(report.lost)}")
    print(f"duplicates          {report.duplicates}")
    print(f"final drain         {report.drain_s:.2f} s")
    print(f"with kills          {report.elapsed_s:.1f} s ({per_filing_fault * 1000:.0f} ms/filing)")
    print(f"baseline, no faults {base_s:.1f} s ({per_filing_base * 1000:.0f} ms/filing)")
    print(f"ratio kills/baseline {per_filing_fault / per_filing_base:.1f}x")
    ok = not report.lost and report.duplicates == 0
    if ok:
        shutil.rmtree(base, ignore_errors=True)
    else:
        print(f"state kept in {base}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
