"""Benchmark: filing POSTs to a real intake (uvicorn + HTTPS + SQLite), against /healthz.

Baseline (same run, same connection): ``GET /healthz`` — TLS, HTTP and app overhead without any
checks. Measured: a new filing (every check of docs/protocol.md + parse + insert + audit row),
the replay of an already stored filing (answered ``duplicate``) and a forged envelope (refused at
the signature check). Prints medians in ms and ratios against the baseline.

``--kiosks N`` adds the throughput figure the issue asks for: N enrolled kiosks post concurrently
(one thread and keep-alive connection each; envelopes and resident signatures are made before the
clock starts, so the figure is the intake's verify+store rate), against concurrent ``/healthz``.
``--drain N`` times a kiosk's real ``python -m server_sync send-once`` draining an N-filing
outbox backlog into the intake (ratio: per filing, against the sequential direct POST above).

Run: ``.venv/bin/python bench/intake_post.py [--rounds 100] [--kiosks 8 --per-kiosk 250]
[--drain 10000] [--db-url postgresql://…]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from server_sync.config import load_settings  # noqa: E402
from server_sync.devicekey import load_or_create_device_key, load_or_create_outbox_key  # noqa: E402
from server_sync.envelope import build_envelope  # noqa: E402
from server_sync.outbox import Outbox  # noqa: E402
from tests.fixtures.intake import IntakeServer, free_port  # noqa: E402
from tests.integration.delivery.filings import make_filing  # noqa: E402
from tests.integration.delivery.harness import KioskUnderTest  # noqa: E402
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


def _parallel(jobs: list[Callable[[], None]]) -> float:
    """Run the jobs in threads, started together; wall seconds until all finished."""
    barrier = threading.Barrier(len(jobs) + 1)
    errors: list[BaseException] = []

    def body(job: Callable[[], None]) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as err:  # reported after the run
            errors.append(err)

    threads = [threading.Thread(target=body, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"a worker failed: {errors[0]!r}")
    return time.perf_counter() - started


def throughput(server: IntakeServer, pki: Pki, kiosks: int, per_kiosk: int) -> tuple[float, float]:
    """(/healthz per second, new verified filings per second) with ``kiosks`` concurrent posters."""
    fleet = [TestKiosk(f"bench-k{i:03d}") for i in range(kiosks)]
    card = pki.issue_card()
    with server.client(timeout=30) as client:
        for member in fleet:
            if member.enrol(client, server.create_token(member.kiosk_id)).status_code != 201:
                raise SystemExit("enrolment failed")
    loads = {m.kiosk_id: [m.envelope(card=card)[1] for _ in range(per_kiosk)] for m in fleet}
    clients = [server.client(timeout=60) for _ in fleet]

    def health_job(client: httpx.Client) -> Callable[[], None]:
        def job() -> None:
            for _ in range(per_kiosk):
                if client.get("/healthz").status_code != 200:
                    raise RuntimeError("healthz failed")

        return job

    def post_job(member: TestKiosk, client: httpx.Client) -> Callable[[], None]:
        def job() -> None:
            for env in loads[member.kiosk_id]:
                status = member.post_filing(client, env).status_code
                if status != 201:
                    raise RuntimeError(f"filing answered {status}")

        return job

    try:
        health_s = _parallel([health_job(c) for c in clients])
        filings_s = _parallel([post_job(m, c) for m, c in zip(fleet, clients, strict=True)])
    finally:
        for c in clients:
            c.close()
    total = kiosks * per_kiosk
    return total / health_s, total / filings_s


def drain(server: IntakeServer, tmp: Path, backlog: int) -> float:
    """Seconds a real ``send-once`` needs to deliver a ``backlog``-filing outbox."""
    kiosk = KioskUnderTest(tmp / "drain-kiosk", kiosk_id="bench-drain")
    kiosk.enrol(server.base_url, server.create_token(kiosk.kiosk_id), server.ca_file)
    settings = load_settings(kiosk.env())
    device_key = load_or_create_device_key(settings.device_key_path)
    now = dt.datetime.now(dt.UTC)
    with Outbox.open(
        settings.outbox_path, load_or_create_outbox_key(settings.outbox_key_path)
    ) as box:
        for _ in range(backlog):
            fid, data = make_filing()
            envelope = build_envelope(
                data,
                kiosk_id=kiosk.kiosk_id,
                private_key=device_key,
                idempotency_key=fid,
                created_at=now,
                resident_certificate=None,
                resident_signature=None,
            )
            box.enqueue(envelope, fid)
    started = time.perf_counter()
    result = kiosk.cli("send-once", timeout=3600)
    elapsed = time.perf_counter() - started
    if result.returncode != 0 or not result.stdout.startswith(f"sent {backlog} "):
        raise SystemExit(f"drain failed: {result.stdout} {result.stderr[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--kiosks", type=int, default=0, help="concurrent kiosks (0: skip)")
    parser.add_argument("--per-kiosk", type=int, default=250)
    parser.add_argument("--drain", type=int, default=0, help="backlog size to drain (0: skip)")
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
        concurrent = (
            throughput(server, pki, args.kiosks, args.per_kiosk) if args.kiosks > 0 else None
        )
        drain_s = drain(server, tmp, args.drain) if args.drain > 0 else None
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
    if concurrent is not None:
        health_rate, filing_rate = concurrent
        print(
            f"concurrent ({args.kiosks} kiosks x {args.per_kiosk}): verified filings/s"
            f" {filing_rate:.0f} vs /healthz/s {health_rate:.0f}"
            f" (ratio {filing_rate / health_rate:.2f}; issue target >= 500/s with SQLite)"
        )
    if drain_s is not None:
        per_ms = drain_s * 1000 / args.drain
        print(
            f"drain of a {args.drain}-filing backlog by send-once: {drain_s:.1f} s"
            f" ({args.drain / drain_s:.0f}/s, {per_ms:.2f} ms per filing,"
            f" ratio {per_ms / statistics.median(new):.2f} vs a direct sequential POST)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
