"""The UI and the sender open a new stand's outbox at the same moment: both must get it."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

from server_sync.outbox import SCHEMA_VERSION, Outbox

OPENERS = 6
ROUNDS = 8
KEY = bytes(range(32))


def _open(path: str, barrier: object, errors: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    try:
        with Outbox.open(Path(path), KEY) as box:
            box.stats()
    except Exception as err:
        errors.put(f"{os.getpid()}: {err}")  # type: ignore[attr-defined]


def test_simultaneous_first_opens_all_succeed_and_migrate_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    failures: list[str] = []
    for round_no in range(ROUNDS):
        path = tmp_path / f"outbox-{round_no}.db"
        barrier, errors = context.Barrier(OPENERS), context.Queue()
        procs = [
            context.Process(target=_open, args=(str(path), barrier, errors)) for _ in range(OPENERS)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(60)
        while not errors.empty():
            failures.append(errors.get())
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert failures == []
