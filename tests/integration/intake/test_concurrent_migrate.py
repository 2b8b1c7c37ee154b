"""Several processes migrating one brand-new intake database at once: each succeeds, once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from sqlalchemy import text

from server_sync.intake.db import migrate, open_engine

PROCESSES = 4
ROUNDS = 4


def _migrate(url: str, barrier: object, errors: object) -> None:
    engine = open_engine(url)
    barrier.wait()  # type: ignore[attr-defined]
    try:
        migrate(engine)
    except Exception as err:
        errors.put(f"{type(err).__name__}: {err}"[:300])  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def test_simultaneous_migrations_of_a_new_sqlite_database(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    failures: list[str] = []
    for round_no in range(ROUNDS):
        url = f"sqlite:///{tmp_path / f'intake-{round_no}.db'}"
        barrier, errors = context.Barrier(PROCESSES), context.Queue()
        procs = [
            context.Process(target=_migrate, args=(url, barrier, errors)) for _ in range(PROCESSES)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(120)
        while not errors.empty():
            failures.append(errors.get())
        engine = open_engine(url)
        with engine.connect() as conn:
            names = [r[0] for r in conn.execute(text("SELECT name FROM schema_migrations"))]
        engine.dispose()
        assert len(names) == len(set(names)) > 0
    assert failures == []
