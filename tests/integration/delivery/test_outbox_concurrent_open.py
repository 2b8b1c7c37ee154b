"""The UI and the sender open a new stand's outbox at the same moment: both must get it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from server_sync.outbox import SCHEMA_VERSION, Outbox
from tests.fixtures.together import run_together

OPENERS = 6
ROUNDS = 8
KEY = bytes(range(32))


def _open(path: Path) -> None:
    with Outbox.open(path, KEY) as box:
        box.stats()


def test_simultaneous_first_opens_all_succeed_and_migrate_once(tmp_path: Path) -> None:
    failures: list[str] = []
    for round_no in range(ROUNDS):
        path = tmp_path / f"outbox-{round_no}.db"
        failures += run_together(lambda path=path: _open(path), OPENERS)  # type: ignore[misc]
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert failures == []
