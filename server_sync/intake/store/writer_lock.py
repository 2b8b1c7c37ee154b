"""A file lock that lets several intake processes take turns at writing one SQLite database.

SQLite serialises writers itself, but a writer that finds the database locked sleeps in its busy
handler (1, 2, 5, 10 … ms) before trying again: with two uvicorn workers committing batches
back to back, most of the time would go to those sleeps. The group committers instead take this
``flock`` around their transaction; a waiting process blocks in the kernel and starts the moment
the other one has committed. Other writers (console, admin commands) still rely on busy_timeout.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

LOCK_SUFFIX = "-writer.lock"


class WriterLock:
    """An exclusive ``flock`` on ``<database file>-writer.lock``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the block (blocks while another process holds it)."""
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        """Close the lock file."""
        os.close(self._fd)


def writer_lock_for(engine: Engine) -> WriterLock | None:
    """The lock of an SQLite file database; None for PostgreSQL or an in-memory database."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return WriterLock(Path(database + LOCK_SUFFIX))
