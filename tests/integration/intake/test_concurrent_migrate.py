"""Several processes migrating one brand-new intake database at once: each succeeds, once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from server_sync.intake.db import migrate, open_engine
from tests.fixtures.together import run_together

PROCESSES = 4
ROUNDS = 4


def _migrate(url: str) -> None:
    engine = open_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()


def test_simultaneous_migrations_of_a_new_sqlite_database(tmp_path: Path) -> None:
    failures: list[str] = []
    for round_no in range(ROUNDS):
        url = f"sqlite:///{tmp_path / f'intake-{round_no}.db'}"
        failures += run_together(lambda url=url: _migrate(url), PROCESSES)  # type: ignore[misc]
        engine = open_engine(url)
        with engine.connect() as conn:
            names = [r[0] for r in conn.execute(text("SELECT name FROM schema_migrations"))]
        engine.dispose()
        assert len(names) == len(set(names)) > 0
    assert failures == []
