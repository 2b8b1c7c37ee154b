"""Benchmark: verified filing POSTs to a real intake (uvicorn + HTTPS + SQLite), with baselines.

Sequential (one keep-alive connection): ``GET /healthz`` as the baseline, a new filing (every
check of docs/protocol.md + parse + durable insert + audit row), the replay of a stored filing
(``duplicate``) and a forged envelope (refused at the signature check); medians and ratios.

``--kiosks N`` (default 8): N enrolled kiosks post concurrently, one thread and one keep-alive
``http.client`` connection each, against an intake with ``--workers W`` (default 2). Every
envelope, resident (RSA) signature and signed header set is made before the clock starts and
the client is kept light, so the figure is the intake's verify+store rate; the client's own CPU
(same 2 cores) is measured and printed. Baselines of the same run: concurrent ``/healthz`` over
the same connections, and a raw SQLite insert+commit loop (synchronous=FULL, same row size) —
the one-commit-per-filing ceiling that group commit lifts. Batch sizes come from the workers'
shutdown log line.

``--profile N`` (default 400; 0: skip) profiles the filing POST in this process as the server runs
it (the app's ASGI callable on an event loop, 8 posting at once: every check, parse, group commit,
on the same backend; no socket/TLS, which the concurrent CPU figure against ``/healthz`` covers)
with cProfile on the loop thread's CPU time, and prints CPU ms per filing (loop and commit
thread) and the top items. With ``--db-url`` (PostgreSQL) the concurrent run is repeated
on SQLite in the same run (``--no-sqlite-baseline`` skips it) and the throughput ratio printed.

``--drain N`` times a kiosk's real ``python -m server_sync send-once`` draining an N-filing
outbox backlog into the intake (ratio: per filing, against the sequential direct POST).

Interleaved comparisons (a noisy shared machine drifts between runs; ABBA order, ``--repeat``
runs per side, each with its own /healthz baseline, per-run figures, medians and batch sizes):
``--compare-tree DIR`` serves a second intake from another checkout DIR (e.g. a copy of the tree
with the old ``server_sync/intake``; SQLite, or ``--db-url``/``--compare-db-url``);
``--db-url URL --interleave`` runs PostgreSQL against SQLite with this tree; with
``--compare-tree DIR --compare-db-url URL2`` too, three intakes (this tree's and the other
tree's PostgreSQL, this tree's SQLite) and every throughput ratio of the same run.

Every report names the database's durability settings (SQLite's, or PostgreSQL's ``fsync``,
``synchronous_commit``, ``commit_delay``/``commit_siblings`` …): figures are only comparable at
the same durability.

Run: ``.venv/bin/python bench/intake_post.py [--rounds 200] [--kiosks 8 --per-kiosk 300]
[--workers 2] [--drain 10000] [--profile 400] [--db-url postgresql://…]
[--compare-tree DIR | --interleave] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import http.client
import io
import os
import pstats
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from server_sync.config import load_settings  # noqa: E402
from server_sync.devicekey import load_or_create_device_key, load_or_create_outbox_key  # noqa: E402
from server_sync.envelope import build_envelope, raw_public_key  # noqa: E402
from server_sync.intake import store  # noqa: E402
from server_sync.intake.app import create_app  # noqa: E402
from server_sync.intake.clock import utc_now  # noqa: E402
from server_sync.intake.settings import IntakeSettings  # noqa: E402
from server_sync.outbox import Outbox  # noqa: E402
from tests.fixtures import intake as intake_fixtures  # noqa: E402
from tests.fixtures.intake import IntakeServer, free_port  # noqa: E402
from tests.integration.delivery.filings import make_filing  # noqa: E402
from tests.integration.delivery.harness import KioskUnderTest  # noqa: E402
from tests.integration.intake.kit import Card, Pki, TestKiosk, make_pki  # noqa: E402

FILINGS_PATH = "/api/v1/filings"
#: profiled filings are preceded by this many unprofiled ones (caches, prepared statements)
PROFILE_WARMUP = 50
PROFILE_TOP = 18
#: concurrent posters of the in-process profile (as the concurrent run's kiosks)
PROFILE_POSTERS = 8
#: issue 14: 0.8 ms of intake CPU per filing where a /healthz request costs ~0.16 ms
CPU_RATIO_TARGET = 5.0
#: PostgreSQL settings that decide what a commit costs (printed with every PostgreSQL figure)
PG_DURABILITY = (
    "fsync",
    "synchronous_commit",
    "wal_sync_method",
    "commit_delay",
    "commit_siblings",
)
BATCH_RE = re.compile(r"group commit: (\d+) filings in (\d+) commits .*largest (\d+)\)")
Request = tuple[str, str, bytes, dict[str, str]]


def cpu_seconds(pid: int) -> float:
    """utime+stime of a process and of its live children (uvicorn workers), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class LightClient:
    """One keep-alive HTTPS connection with the least client-side work per request."""

    def __init__(self, server: IntakeServer) -> None:
        self._conn = http.client.HTTPSConnection(
            "127.0.0.1", server.port, context=server.ssl_context(), timeout=60
        )

    def send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> int:
        """The status of one request (the answer body is read so the connection is reused)."""
        self._conn.request(method, path, body=body or None, headers=headers)
        response = self._conn.getresponse()
        response.read()
        return response.status

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def signed_post(kiosk: TestKiosk, envelope: bytes) -> Request:
    """A ready-to-send filing POST (signed headers made now, before any clock starts)."""
    headers = {"Content-Type": "application/json", **kiosk.headers("POST", FILINGS_PATH, envelope)}
    return ("POST", FILINGS_PATH, envelope, headers)


def timed(client: LightClient, requests: list[Request], expect: int) -> list[float]:
    """Per-request wall times in ms (checking every status)."""
    times = []
    for method, path, body, headers in requests:
        start = time.perf_counter()
        status = client.send(method, path, body, headers)
        times.append((time.perf_counter() - start) * 1000)
        if status != expect:
            raise SystemExit(f"unexpected status {status} (wanted {expect})")
    return times


def parallel(jobs: list[Callable[[], None]]) -> float:
    """Run the jobs in threads started together; wall seconds until all finished."""
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


def poster(client: LightClient, requests: list[Request], expect: int) -> Callable[[], None]:
    """A job sending ``requests`` in order over ``client``."""

    def job() -> None:
        for method, path, body, headers in requests:
            status = client.send(method, path, body, headers)
            if status != expect:
                raise RuntimeError(f"{path} answered {status}")

    return job


def measured(server: IntakeServer, jobs: list[Callable[[], None]]) -> tuple[float, float, float]:
    """(wall s, server CPU s, client CPU s) of running the jobs concurrently."""
    if server.proc is None:
        raise SystemExit("the intake is not running")
    pid = server.proc.pid
    server_cpu, client_cpu = cpu_seconds(pid), time.process_time()
    wall = parallel(jobs)
    return wall, cpu_seconds(pid) - server_cpu, time.process_time() - client_cpu


def throughput(
    server: IntakeServer, card: Card, kiosks: int, per_kiosk: int, prefix: str = "bench-k"
) -> dict[str, float]:
    """Concurrent /healthz and new-filing rates with ``kiosks`` posting at once."""
    fleet = [TestKiosk(f"{prefix}{i:03d}") for i in range(kiosks)]
    with server.client(timeout=30) as client:
        for member in fleet:
            if member.enrol(client, server.create_token(member.kiosk_id)).status_code != 201:
                raise SystemExit("enrolment failed")
    loads = [[signed_post(m, m.envelope(card=card)[1]) for _ in range(per_kiosk)] for m in fleet]
    health: list[Request] = [("GET", "/healthz", b"", {})] * per_kiosk
    clients = [LightClient(server) for _ in fleet]
    try:
        h_wall, h_server, h_client = measured(server, [poster(c, health, 200) for c in clients])
        f_wall, f_server, f_client = measured(
            server, [poster(c, load, 201) for c, load in zip(clients, loads, strict=True)]
        )
    finally:
        for c in clients:
            c.close()
    total = kiosks * per_kiosk
    return {
        "health_rate": total / h_wall,
        "health_server_ms": h_server * 1000 / total,
        "health_client_ms": h_client * 1000 / total,
        "filing_rate": total / f_wall,
        "filing_server_ms": f_server * 1000 / total,
        "filing_client_ms": f_client * 1000 / total,
    }


def sqlite_commit_rate(tmp: Path, row_bytes: int, rows: int = 400) -> float:
    """Raw single-row insert+commit per second (WAL, synchronous=FULL, one thread)."""
    conn = sqlite3.connect(tmp / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
    payload = os.urandom(row_bytes)
    started = time.perf_counter()
    for _ in range(rows):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (body) VALUES (?)", (payload,))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return rows / elapsed


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


def durability(db_url: str) -> str:
    """What a run's database did for durability (its figures mean nothing without it)."""
    if not db_url.startswith("postgresql"):
        return "durability: SQLite WAL, synchronous=FULL (the intake's own settings)"
    import psycopg

    url = db_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        shown = {}
        for name in PG_DURABILITY:
            row = conn.execute(f"SHOW {name}").fetchone()  # names from the constant above
            shown[name] = row[0] if row else "?"
    return "durability: PostgreSQL " + ", ".join(f"{k}={v}" for k, v in shown.items())


def batch_sizes(log_text: str) -> str:
    """Group-commit figures summed over the workers' shutdown lines."""
    found = [tuple(int(g) for g in m.groups()) for m in BATCH_RE.finditer(log_text)]
    if not found:
        return "group commit: no shutdown summary found in the server log"
    filings, commits = sum(f[0] for f in found), sum(f[1] for f in found)
    largest = max(f[2] for f in found)
    mean = filings / commits if commits else 0.0
    return (
        f"group commit over {len(found)} worker(s): {filings} filings in {commits} commits,"
        f" mean batch {mean:.1f}, largest {largest}"
    )


def sequential(server: IntakeServer, card: Card, rounds: int) -> dict[str, list[float]]:
    """Per-request times of the four sequential cases over one connection."""
    kiosk = TestKiosk("bench-kiosk")
    with server.client(timeout=30) as client:
        if kiosk.enrol(client, server.create_token(kiosk.kiosk_id)).status_code != 201:
            raise SystemExit("enrolment failed")
    new = [signed_post(kiosk, kiosk.envelope(card=card)[1]) for _ in range(rounds)]
    replay = [signed_post(kiosk, new[0][2]) for _ in range(rounds)]
    forged = [signed_post(kiosk, TestKiosk(kiosk.kiosk_id).envelope(card=card)[1])] * rounds
    conn = LightClient(server)
    try:
        return {
            "GET /healthz (baseline)": timed(conn, [("GET", "/healthz", b"", {})] * rounds, 200),
            "POST new filing (201)": timed(conn, new, 201),
            "POST replay (200 duplicate)": timed(conn, replay, 200),
            "POST forged (401)": timed(conn, forged, 401),
        }
    finally:
        conn.close()


def report_sequential(cases: dict[str, list[float]]) -> float:
    """Print the sequential table; returns the new-filing median in ms."""
    base = statistics.median(cases["GET /healthz (baseline)"])
    print(f"{'case':<28}{'median ms':>10}{'p90 ms':>10}{'ratio':>8}")
    for name, values in cases.items():
        med = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{name:<28}{med:>10.2f}{p90:>10.2f}{med / base:>8.1f}")
    new_ms = statistics.median(cases["POST new filing (201)"])
    print(f"new filings per second (sequential, one connection): {1000 / new_ms:.0f}")
    return new_ms


def report_concurrent(figures: dict[str, float], args: argparse.Namespace, raw: float) -> None:
    """Print the concurrent figures with both baselines."""
    rate, health = figures["filing_rate"], figures["health_rate"]
    print(
        f"concurrent ({args.kiosks} kiosks x {args.per_kiosk}, {args.workers} worker(s)):"
        f" verified filings/s {rate:.0f} (issue target >= 500/s with SQLite)"
    )
    print(
        f"  baseline /healthz/s {health:.0f} (ratio {rate / health:.2f});"
        f" raw SQLite insert+commit/s {raw:.0f} (ratio {rate / raw:.2f})"
    )
    print(
        f"  CPU per filing: intake {figures['filing_server_ms']:.2f} ms,"
        f" bench client {figures['filing_client_ms']:.2f} ms"
        f" (per /healthz: intake {figures['health_server_ms']:.2f} ms,"
        f" client {figures['health_client_ms']:.2f} ms; {os.cpu_count()} CPUs)"
    )
    # the issue's figure: intake CPU per filing as a multiple of a /healthz request's, same run
    # (absolute ms move with the machine's load; target 0.8 ms at /healthz ~0.16 ms, i.e. <= 5)
    print(
        f"  intake CPU per filing / per /healthz: "
        f"{figures['filing_server_ms'] / figures['health_server_ms']:.1f}"
        f" (target <= {CPU_RATIO_TARGET:.0f})"
    )


def sqlite_baseline(
    tmp: Path, extra: tuple[str, ...], card: Card, args: argparse.Namespace
) -> dict[str, float]:
    """The concurrent figures of the same load on SQLite (same workers, same machine, now)."""
    base = tmp / "sqlite-baseline"
    server = IntakeServer(f"sqlite:///{base / 'intake.db'}", base / "data", free_port(), extra)
    base.mkdir()
    server.start()
    try:
        return throughput(server, card, args.kiosks, args.per_kiosk)
    finally:
        server.close()


@dataclass
class TreeServer(IntakeServer):
    """An intake served from another checkout (``python -m`` imports from the working dir)."""

    tree: Path | None = None

    def start(self) -> None:
        """Start with the other tree as the working directory (this tree's if None)."""
        saved = intake_fixtures.REPO
        intake_fixtures.REPO = self.tree or saved
        try:
            super().start()
        finally:
            intake_fixtures.REPO = saved


def ab_servers(
    tmp: Path, extra: tuple[str, ...], args: argparse.Namespace
) -> dict[str, TreeServer]:
    """The two intakes of an interleaved comparison (see the module doc)."""

    def sqlite_url(name: str) -> str:
        return f"sqlite:///{tmp / name / 'intake.db'}"

    this = "this tree, PostgreSQL" if args.db_url else "this tree"
    servers = {
        this: TreeServer(args.db_url or sqlite_url("ab-this"), tmp / "ab-this", free_port(), extra)
    }
    if args.compare_tree:
        servers["compare tree"] = TreeServer(
            args.compare_db_url or sqlite_url("ab-other"),
            tmp / "ab-other",
            free_port(),
            extra,
            tree=Path(args.compare_tree).resolve(),
        )
    if args.interleave or not args.compare_tree:
        # --interleave with --db-url: PostgreSQL against SQLite, same tree, same workers (with
        # --compare-tree too: three intakes, both PostgreSQL ones against the same-run SQLite)
        servers["this tree, SQLite"] = TreeServer(
            sqlite_url("ab-sqlite"), tmp / "ab-sqlite", free_port(), extra
        )
    return servers


def compare_interleaved(
    tmp: Path, extra: tuple[str, ...], card: Card, args: argparse.Namespace
) -> list[str]:
    """Interleaved concurrent runs against two intakes (report lines)."""
    servers = ab_servers(tmp, extra, args)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
    lines = [f"interleaved, {args.repeat} run(s) each (ABBA…): " + " vs ".join(servers)]
    lines += sorted({f"  {durability(server.db_url)}" for server in servers.values()})
    try:
        for server in servers.values():
            server.start()
        names = list(servers)
        for turn in range(args.repeat):
            order = names if turn % 2 == 0 else names[::-1]  # ABBA: drift hits both alike
            for name in order:
                got = throughput(servers[name], card, args.kiosks, args.per_kiosk, f"ab{turn}-k")
                runs[name].append(got)
                lines.append(
                    f"  run {turn + 1} {name:<22}: {got['filing_rate']:5.0f} filings/s,"
                    f" intake CPU {got['filing_server_ms']:.2f} ms/filing,"
                    f" /healthz {got['health_server_ms']:.3f} ms"
                    f" (ratio {got['filing_server_ms'] / got['health_server_ms']:.1f})"
                )
    finally:
        for server in servers.values():
            server.close()
    medians: dict[str, float] = {}
    for name, figures in runs.items():
        cpu = statistics.median(f["filing_server_ms"] for f in figures)
        ratio = statistics.median(f["filing_server_ms"] / f["health_server_ms"] for f in figures)
        medians[name] = statistics.median(f["filing_rate"] for f in figures)
        lines.append(
            f"  median {name:<22}: {medians[name]:5.0f} filings/s, intake CPU {cpu:.2f}"
            f" ms/filing, ratio to /healthz {ratio:.1f}"
        )
        log = servers[name].log_file.read_text(encoding="utf-8", errors="replace")
        lines.append(f"    {batch_sizes(log)}")
    last = names[-1]
    for name in names[:-1]:
        lines.append(f"  throughput {name} / {last}: {medians[name] / medians[last]:.2f}")
        # the same turn's runs side by side: drift between turns cancels out of each pair
        pairs = [
            (
                mine["filing_server_ms"] / theirs["filing_server_ms"],
                mine["filing_rate"] / theirs["filing_rate"],
            )
            for mine, theirs in zip(runs[name], runs[last], strict=True)
        ]
        lines.append(
            f"  paired per turn {name} / {last}: intake CPU per filing"
            f" {' '.join(f'{c:.2f}' for c, _ in pairs)} (median"
            f" {statistics.median(c for c, _ in pairs):.2f}), throughput median"
            f" {statistics.median(r for _, r in pairs):.2f}"
        )
    if len(names) == 3:
        first, second = names[:2]
        lines.append(f"  throughput {first} / {second}: {medians[first] / medians[second]:.2f}")
    return lines


def asgi_post(app: Any, request: Request) -> Awaitable[int]:
    """One request straight into the app's ASGI callable (no socket, no TLS); its status."""
    method, path, body, headers = request
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 443),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    status: list[int] = []

    async def receive() -> dict[str, Any]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    async def run() -> int:
        await app(scope, receive, send)
        return status[0]

    return run()


def profile_handler(db_url: str, tmp: Path, trust: Path, card: Card, count: int) -> str:
    """In-process CPU profile of the filing POST as the server runs it (the report text).

    The app's ASGI callable on an event loop, ``PROFILE_POSTERS`` kiosks posting at once: the
    fast path, every check on the loop, group commits in the commit thread. cProfile follows
    the loop's thread only; the commit thread's CPU is the process's minus the loop's.
    """
    app = create_app(IntakeSettings(db_url=db_url, data_dir=tmp / "profile-data", trust_dir=trust))
    ctx = app.state.intake
    kiosk = TestKiosk("bench-profile")
    token = store.create_enrol_token(
        ctx.engine, kiosk.kiosk_id, ttl=dt.timedelta(hours=1), now=utc_now(), actor="bench"
    )
    store.enrol_kiosk(
        ctx.engine, token, kiosk.kiosk_id, raw_public_key(kiosk.key.public_key()), utc_now()
    )

    def batch(n: int) -> list[Request]:
        return [signed_post(kiosk, kiosk.envelope(card=card)[1]) for _ in range(n)]

    async def post_all(requests: list[Request]) -> None:
        async def poster(part: list[Request]) -> None:
            for request in part:
                if await asgi_post(app, request) != 201:
                    raise SystemExit("profiled filing POST was refused")

        await asyncio.gather(
            *(poster(requests[i::PROFILE_POSTERS]) for i in range(PROFILE_POSTERS))
        )

    try:
        asyncio.run(post_all(batch(PROFILE_WARMUP)))
        measured_posts = batch(count)
        process, loop_thread = time.process_time(), time.thread_time()
        asyncio.run(post_all(measured_posts))
        loop_ms = (time.thread_time() - loop_thread) * 1000 / count
        plain_ms = (time.process_time() - process) * 1000 / count
        profiler = cProfile.Profile(time.thread_time)
        again = batch(count)
        profiler.enable()
        asyncio.run(post_all(again))
        profiler.disable()
    finally:
        ctx.filings.close()
        ctx.engine.dispose()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    # cumulative: the project's own functions only (not the event loop and ASGI frames above)
    stats.sort_stats("cumulative").print_stats(r"/(server_sync|kiosk)/", PROFILE_TOP)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip() and "function calls" not in ln]
    return "\n".join(
        [
            f"handler profile ({count} filings, {PROFILE_POSTERS} posting at once, in process,"
            f" no socket/TLS): CPU {plain_ms:.2f} ms per filing without the profiler (event"
            f" loop {loop_ms:.2f}, commit thread {plain_ms - loop_ms:.2f}); top items on the"
            " loop's thread by own and cumulative CPU (profiled):",
            *lines,
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--kiosks", type=int, default=8, help="concurrent kiosks (0: skip)")
    parser.add_argument("--per-kiosk", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="intake worker processes")
    parser.add_argument("--drain", type=int, default=0, help="backlog size to drain (0: skip)")
    parser.add_argument("--profile", type=int, default=400, help="filings to profile (0: skip)")
    parser.add_argument(
        "--compare-tree", default=None, help="another checkout to run interleaved against"
    )
    parser.add_argument(
        "--compare-db-url", default=None, help="with --compare-tree: its database (default SQLite)"
    )
    parser.add_argument(
        "--interleave",
        action="store_true",
        help="with --db-url: PostgreSQL and SQLite runs interleaved (ABBA), same tree",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per side when interleaved")
    parser.add_argument(
        "--no-sqlite-baseline",
        action="store_true",
        help="with --db-url: skip the same-run SQLite concurrent baseline",
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    trust = tmp / "roots"
    trust.mkdir()
    pki: Pki = make_pki("bench JPKI root")
    (trust / "root.pem").write_bytes(pki.root_pem())
    card = pki.issue_card()
    db_url = args.db_url or f"sqlite:///{tmp / 'intake.db'}"
    extra = ("--trust-dir", str(trust), "--workers", str(args.workers))
    if args.compare_tree or args.interleave:
        print("\n".join(compare_interleaved(tmp, extra, card, args)))
        return 0
    server = IntakeServer(db_url, tmp / "data", free_port(), extra)
    server.start()
    try:
        cases = sequential(server, card, args.rounds)
        figures = throughput(server, card, args.kiosks, args.per_kiosk) if args.kiosks else None
        drain_s = drain(server, tmp, args.drain) if args.drain > 0 else None
    finally:
        server.close()
    baseline = None
    if args.db_url and args.kiosks and not args.no_sqlite_baseline:
        baseline = sqlite_baseline(tmp, extra, card, args)
    profile = profile_handler(db_url, tmp, trust, card, args.profile) if args.profile else None
    print(
        f"backend: {db_url.split(':', 1)[0]}, workers: {args.workers}, rounds: {args.rounds},"
        f" at {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}"
    )
    print(durability(db_url))
    new_ms = report_sequential(cases)
    if figures is not None:
        # a stored filing is about its envelope twice over (envelope + filing JSON + audit row)
        row_bytes = 2 * len(TestKiosk("bench-size").envelope(card=card)[1])
        report_concurrent(figures, args, sqlite_commit_rate(tmp, row_bytes))
    print(batch_sizes(server.log_file.read_text(encoding="utf-8", errors="replace")))
    if figures is not None and baseline is not None:
        rate, base_rate = figures["filing_rate"], baseline["filing_rate"]
        print(
            f"same-run SQLite baseline ({args.workers} worker(s), same load): {base_rate:.0f}"
            f" filings/s, intake CPU {baseline['filing_server_ms']:.2f} ms per filing;"
            f" this backend / SQLite: throughput {rate / base_rate:.2f},"
            f" CPU {figures['filing_server_ms'] / baseline['filing_server_ms']:.2f}"
        )
    if profile is not None:
        print(profile)
    if drain_s is not None:
        per_ms = drain_s * 1000 / args.drain
        print(
            f"drain of a {args.drain}-filing backlog by send-once: {drain_s:.1f} s"
            f" ({args.drain / drain_s:.0f}/s, {per_ms:.2f} ms per filing,"
            f" ratio {per_ms / new_ms:.2f} vs a direct sequential POST)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
