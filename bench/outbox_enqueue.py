"""Outbox cost: enqueue + claim/done per message with synchronous=FULL vs a NORMAL baseline.

Both runs use the real Outbox (WAL, AES-GCM payloads, BEGIN IMMEDIATE) in the same process on the
same disk; the baseline only relaxes ``synchronous`` to NORMAL on its connection, so the ratio is
the price of surviving power loss.

    .venv/bin/python bench/outbox_enqueue.py [--messages 300]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from server_sync.ids import new_uuid7  # noqa: E402
from server_sync.outbox import Outbox  # noqa: E402

PAYLOAD = b"x" * 4096  # about the size of a filing envelope


def run(path: Path, messages: int, *, relaxed: bool) -> tuple[float, float]:
    """Seconds per enqueue and per claim+done."""
    box = Outbox.open(path, bytes(32))
    if relaxed:
        box._conn.execute("PRAGMA synchronous = NORMAL")  # the baseline only
    ids = [new_uuid7() for _ in range(messages)]
    started = time.perf_counter()
    for mid in ids:
        box.enqueue(PAYLOAD, mid)
    enqueue_s = (time.perf_counter() - started) / messages
    started = time.perf_counter()
    while (msg := box.claim()) is not None:
        box.mark_done(msg.id)
    deliver_s = (time.perf_counter() - started) / messages
    box.close()
    return enqueue_s, deliver_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=REPO) as tmp:
        base_enq, base_del = run(Path(tmp) / "normal.db", args.messages, relaxed=True)
        full_enq, full_del = run(Path(tmp) / "full.db", args.messages, relaxed=False)
    print(f"messages                    {args.messages}")
    print(f"enqueue  NORMAL (baseline)  {base_enq * 1000:.2f} ms")
    print(f"enqueue  FULL               {full_enq * 1000:.2f} ms  ratio {full_enq / base_enq:.2f}x")
    print(f"claim+done NORMAL           {base_del * 1000:.2f} ms")
    print(f"claim+done FULL             {full_del * 1000:.2f} ms  ratio {full_del / base_del:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
