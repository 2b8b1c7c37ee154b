"""kill -9 at random points: of the sender, of the intake, of a process in the middle of enqueue."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.intake import IntakeServer
from tests.integration.delivery.harness import BACKENDS, REPO, KioskUnderTest, run_kill_rounds

ITERATIONS = int(os.environ.get("DELIVERY_KILL_ITERATIONS", "10"))


@pytest.mark.slow
@pytest.mark.parametrize("intake_server", BACKENDS, indirect=True)
def test_kill9_of_sender_and_intake_loses_nothing_and_duplicates_nothing(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    seed = random.randrange(1 << 30)
    print(f"seed {seed}")
    report = run_kill_rounds(kiosk, intake_server, ITERATIONS, random.Random(seed))
    assert report.sender_kills + report.intake_kills == ITERATIONS
    assert report.enqueued >= ITERATIONS
    assert (report.lost, report.duplicates) == ([], 0), f"seed {seed}"
    status = kiosk.status()
    assert (status["backlog"], status["dead"], status["done"]) == (0, 0, report.enqueued)


ENQUEUE_CHILD = """
import sys
from pathlib import Path
from server_sync.ids import new_uuid7
from server_sync.outbox import Outbox
box = Outbox.open(Path(sys.argv[1]), bytes(32))
while True:
    mid = new_uuid7()
    box.enqueue(b"x" * 2000 + mid.encode(), mid)
    print(mid, flush=True)
"""


def test_kill9_during_enqueue_never_loses_a_committed_message(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    committed: list[str] = []
    rng = random.Random()
    for _ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", ENQUEUE_CHILD, str(path)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        for _ in range(rng.randint(5, 60)):
            committed.append(child.stdout.readline().strip())
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        committed.extend(line.strip() for line in child.stdout if line.strip())
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = {r[0] for r in conn.execute("SELECT id FROM outbox")}
    conn.close()
    assert set(committed) <= stored  # acknowledged by enqueue() ⇒ durable
