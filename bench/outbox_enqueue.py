"""Outbox enqueue cost as a ratio to a raw SQLite insert + commit measured in the same run.

The baseline is the cheapest durable insert SQLite offers: one held connection, WAL,
``synchronous=FULL`` (the outbox's setting), ``INSERT`` of the same 4 kB blob + ``COMMIT`` — one
fdatasync per message. Against it, in the same process on the same disk:

* ``held``  — one open ``Outbox``, ``enqueue`` per message (AES-GCM, idempotency check);
* ``kiosk`` — what the app does per filing (``server_sync.submit.enqueue_filing``): open the
  outbox, enqueue, close, while the sender process holds its own connection and delivers +
  scrubs (WAL truncate) between two filings. Only the open + enqueue + close is timed.

With ``strace`` on the PATH each scenario is re-run in a traced child and the fsync/fdatasync
calls per message are counted (the issue's "durable writes"); ``--no-strace`` skips that.

    .venv/bin/python bench/outbox_enqueue.py [--messages 300] [--rounds 5]

Before issue 14 (same machine, 200 messages): held 1.01× raw, 1 sync/message; kiosk 2.71× raw,
3 syncs/message (the commit + the folder sync of a fresh connection's first commit + the WAL-header
sync after the sender's truncate). After: 1 sync/message in both (see ``server_sync.outbox``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from server_sync.ids import new_uuid7  # noqa: E402
from server_sync.outbox import Outbox  # noqa: E402

PAYLOAD = b"x" * 4096  # about the size of a filing envelope
KEY = bytes(32)
MARK_START = b"<<bench-start>>\n"
MARK_END = b"<<bench-end>>\n"
SYNC_CALLS = ("fsync(", "fdatasync(")
SCENARIOS = ("raw", "held", "kiosk")


def raw(folder: Path, messages: int, mark: Callable[[bytes], None]) -> float:
    """Seconds per raw INSERT + COMMIT (WAL, synchronous=FULL, one held connection)."""
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, payload BLOB NOT NULL)")
    ids = [new_uuid7() for _ in range(messages)]
    mark(MARK_START)
    started = time.perf_counter()
    for mid in ids:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (id, payload) VALUES (?, ?)", (mid, PAYLOAD))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    mark(MARK_END)
    conn.close()
    return elapsed / messages


def held(folder: Path, messages: int, mark: Callable[[bytes], None]) -> float:
    """Seconds per ``enqueue`` on one open outbox."""
    box = Outbox.open(folder / "held.db", KEY)
    box.enqueue(PAYLOAD, new_uuid7())  # the first commit of a connection also syncs the folder
    ids = [new_uuid7() for _ in range(messages)]
    mark(MARK_START)
    started = time.perf_counter()
    for mid in ids:
        box.enqueue(PAYLOAD, mid)
    elapsed = time.perf_counter() - started
    mark(MARK_END)
    box.close()
    return elapsed / messages


def kiosk(folder: Path, messages: int, mark: Callable[[bytes], None]) -> float:
    """Seconds per open + enqueue + close, each filing delivered and scrubbed before the next."""
    path = folder / "kiosk.db"
    sender = Outbox.open(path, KEY)
    total = 0.0
    for i in range(messages + 1):  # the first round warms up (not timed, not traced)
        mid = new_uuid7()
        if i:
            mark(MARK_START)
        started = time.perf_counter()
        with Outbox.open(path, KEY) as box:
            box.enqueue(PAYLOAD, mid)
        if i:
            total += time.perf_counter() - started
            mark(MARK_END)
        message = sender.claim()
        assert message is not None and message.id == mid
        sender.mark_done(mid)
        sender.scrub()
    sender.close()
    return total / messages


RUNNERS: dict[str, Callable[[Path, int, Callable[[bytes], None]], float]] = {
    "raw": raw,
    "held": held,
    "kiosk": kiosk,
}


def count_syncs(scenario: str, messages: int) -> float | None:
    """fsync + fdatasync calls per message inside the timed part, from a traced child."""
    strace = shutil.which("strace")
    if strace is None:
        return None
    with tempfile.TemporaryDirectory(dir=REPO) as tmp:
        log = Path(tmp) / "strace.txt"
        proc = subprocess.run(
            [strace, "-f", "-qq", "-o", str(log), "-e", "trace=fsync,fdatasync,write",
             sys.executable, __file__, "--child", scenario, "--messages", str(messages)],
            capture_output=True,
            check=False,
        )  # fmt: skip
        if proc.returncode != 0 or not log.exists():
            return None  # e.g. ptrace not permitted in this container
        syncs, inside = 0, 0
        for line in log.read_text(errors="replace").splitlines():
            if "bench-start" in line:
                inside += 1
            elif "bench-end" in line:
                inside -= 1
            elif inside and any(call in line for call in SYNC_CALLS):
                syncs += 1
    return syncs / messages


def _write_marker(marker: bytes) -> None:
    os.write(1, marker)


def _no_marker(_marker: bytes) -> None:
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (median)")
    parser.add_argument("--no-strace", action="store_true", help="skip the fsync count")
    parser.add_argument("--child", choices=SCENARIOS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory(dir=REPO) as tmp:
            RUNNERS[args.child](Path(tmp), args.messages, _write_marker)
        return 0
    # the scenarios take turns in rounds (fresh files each round) and the median round counts,
    # so load from other processes on this disk hits all of them alike
    per_round = max(1, args.messages // args.rounds)
    samples: dict[str, list[float]] = {name: [] for name in SCENARIOS}
    for round_no in range(args.rounds):
        with tempfile.TemporaryDirectory(dir=REPO) as tmp:
            for name, run in RUNNERS.items():
                folder = Path(tmp) / f"{name}-{round_no}"
                folder.mkdir()
                samples[name].append(run(folder, per_round, _no_marker))
    seconds = {name: statistics.median(values) for name, values in samples.items()}
    sync_messages = min(args.messages, 50)
    syncs = {
        name: (None if args.no_strace else count_syncs(name, sync_messages)) for name in SCENARIOS
    }
    base = seconds["raw"]
    print(
        f"{args.rounds} rounds x {per_round} messages of {len(PAYLOAD)} B;"
        " WAL, synchronous=FULL everywhere"
    )
    print(f"{'scenario':<44} {'ms/msg':>8} {'ratio':>6} {'syncs/msg':>9}")
    labels = {
        "raw": "raw SQLite INSERT + COMMIT (baseline)",
        "held": "Outbox.enqueue, outbox held open",
        "kiosk": "open + enqueue + close, sender scrubs between",
    }
    for name in SCENARIOS:
        count = syncs[name]
        shown = "n/a" if count is None else f"{count:.2f}"
        print(
            f"{labels[name]:<44} {seconds[name] * 1000:>8.3f} {seconds[name] / base:>6.2f} "
            f"{shown:>9}"
        )
    print("ratio = median round's time per message / the raw baseline's, measured in this run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
