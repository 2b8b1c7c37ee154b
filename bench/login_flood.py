"""Benchmark: filing POST latency during a flood of wrong console logins from many sources.

A real intake (uvicorn + HTTPS + SQLite, one process) with one clerk and one enrolled kiosk.
First the baseline: ``--filings`` sequential filing POSTs on a quiet intake. Then ``--sources``
attacker threads, each from its own loopback address (127.0.1.N), fetch the login form and post
a wrong password for the clerk's name as fast as they can, while the same number of filings is
posted again — and the genuine clerk logs in from yet another address (127.0.2.1) in the middle.
Prints filing POST p50/p95 (baseline, during the flood, ratio), the flood's rate and answers,
and whether the clerk got in. Finding 1 of issue 15: the intake must stay within 2x.

Run: ``.venv/bin/python bench/login_flood.py [--sources 16] [--filings 80]``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from server_sync.intake import store  # noqa: E402
from server_sync.intake.clock import utc_now  # noqa: E402
from tests.fixtures.intake import IntakeServer, free_port  # noqa: E402
from tests.integration.intake.kit import TestKiosk  # noqa: E402

CLERK = "clerk1"
CLERK_PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
GENUINE_SOURCE = "127.0.2.1"


def source_address(index: int) -> str:
    """The loopback address attacker ``index`` sends from."""
    return f"127.0.1.{index + 1}"


@dataclass
class FloodResult:
    """What one run measured (latencies in milliseconds)."""

    baseline_ms: list[float]
    flood_ms: list[float]
    filing_errors: int
    login_answers: Counter[int] = field(default_factory=Counter)
    login_rate: float = 0.0
    clerk_status: int = 0
    clerk_ms: float = 0.0

    @staticmethod
    def p(values: list[float], q: float) -> float:
        """The ``q`` quantile (0..1) of ``values``."""
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def report(self) -> str:
        """The figure, one line per fact."""
        b50, b95 = self.p(self.baseline_ms, 0.5), self.p(self.baseline_ms, 0.95)
        f50, f95 = self.p(self.flood_ms, 0.5), self.p(self.flood_ms, 0.95)
        answers = ", ".join(f"{code}: {n}" for code, n in sorted(self.login_answers.items()))
        return "\n".join(
            [
                f"filing POST baseline      p50 {b50:7.1f} ms  p95 {b95:7.1f} ms",
                f"filing POST during flood  p50 {f50:7.1f} ms  p95 {f95:7.1f} ms",
                f"ratio flood/baseline      p50 {f50 / b50:5.2f}x    p95 {f95 / b95:5.2f}x",
                f"filing POST errors during flood: {self.filing_errors}",
                f"login flood: {self.login_rate:.0f} attempts/s ({answers})",
                f"genuine clerk from {GENUINE_SOURCE}: HTTP {self.clerk_status}"
                f" in {self.clerk_ms:.0f} ms",
            ]
        )


def _client(server: IntakeServer, local: str | None = None) -> httpx.Client:
    transport = httpx.HTTPTransport(verify=server.ssl_context(), local_address=local)
    return httpx.Client(base_url=server.base_url, transport=transport, timeout=30)


def _login(client: httpx.Client, password: str) -> int:
    page = client.get("/console/login")
    match = CSRF_RE.search(page.text)
    token = match.group(1) if match else ""
    answer = client.post(
        "/console/login",
        data={"username": CLERK, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return answer.status_code


def _post_filings(client: httpx.Client, kiosk: TestKiosk, count: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    for _ in range(count):
        _, envelope = kiosk.envelope()
        started = time.perf_counter()
        answer = kiosk.post_filing(client, envelope)
        latencies.append((time.perf_counter() - started) * 1000)
        errors += answer.status_code != 201
        time.sleep(0.01)  # a kiosk fleet's pace, not a tight loop
    return latencies, errors


def measure(server: IntakeServer, *, sources: int, filings: int) -> FloodResult:
    """Baseline, then the flood with filings and the genuine clerk's login (server running)."""
    store.create_staff(server.engine, CLERK, CLERK_PASSWORD, now=utc_now(), actor="bench")
    kiosk = TestKiosk("flood-kiosk")
    with _client(server) as client:
        assert kiosk.enrol(client, server.create_token(kiosk.kiosk_id)).status_code == 201
        _post_filings(client, kiosk, 5)  # warm up
        baseline, _ = _post_filings(client, kiosk, filings)
    stop = threading.Event()
    answers: Counter[int] = Counter()
    lock = threading.Lock()

    def attacker(index: int) -> None:
        with _client(server, source_address(index)) as client:
            while not stop.is_set():
                try:
                    status = _login(client, "wrong password!!")
                except httpx.HTTPError:
                    status = 0
                with lock:
                    answers[status] += 1

    threads = [threading.Thread(target=attacker, args=(i,), daemon=True) for i in range(sources)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # let the flood reach its pace (and lock its sources)
    result = FloodResult(baseline, [], 0)
    with _client(server) as client:
        flood, result.filing_errors = _post_filings(client, kiosk, filings // 2)
        with _client(server, GENUINE_SOURCE) as clerk:
            t0 = time.perf_counter()
            result.clerk_status = _login(clerk, CLERK_PASSWORD)
            result.clerk_ms = (time.perf_counter() - t0) * 1000
        more, errors = _post_filings(client, kiosk, filings - filings // 2)
    stop.set()
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join(timeout=30)
    result.flood_ms = flood + more
    result.filing_errors += errors
    result.login_answers = answers
    result.login_rate = sum(answers.values()) / elapsed
    return result


def run(sources: int, filings: int) -> FloodResult:
    """Start an intake in a temporary folder, measure, stop it."""
    with tempfile.TemporaryDirectory() as tmp:
        server = IntakeServer(
            db_url=f"sqlite:///{tmp}/intake.db", data_dir=Path(tmp) / "data", port=free_port()
        )
        server.start()
        try:
            return measure(server, sources=sources, filings=filings)
        finally:
            server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=16)
    parser.add_argument("--filings", type=int, default=80)
    args = parser.parse_args(argv)
    result = run(args.sources, args.filings)
    print(result.report())
    print(f"median of all flood answers: {statistics.median(result.flood_ms):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
