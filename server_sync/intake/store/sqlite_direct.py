"""The filing POST's hot statements on SQLite through the sqlite3 connection itself.

Profiling showed SQLAlchemy's per-statement work (result set-up, events, transaction objects)
costing more CPU than SQLite did for the same statements. On SQLite the two statements every
filing POST runs — the kiosk/idempotency read and the group-commit batch — therefore go to the
DB-API connection (taken from the engine's pool, so the WAL / synchronous=FULL / busy_timeout
pragmas of :mod:`server_sync.intake.db` apply); the SQL is the same text the SQLAlchemy path
runs (sqlite3 takes ``:name`` parameters). PostgreSQL keeps the SQLAlchemy path.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from server_sync.intake.records import Filing, PostResult
from server_sync.intake.store.audit import INSERT_AUDIT_SQL
from server_sync.intake.store.filings import (
    INSERT_FILING_SQL,
    SearchKeys,
    plan_batch,
    received_audit,
    row_params,
)


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine's database is SQLite (the direct path applies)."""
    return engine.dialect.name == "sqlite"


def fetch_one(engine: Engine, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    """The first row of a read on a pooled connection (WAL: never waits for a writer)."""
    pooled = engine.raw_connection()
    try:
        cursor = pooled.cursor()
        try:
            cursor.execute(sql, params)
            row: tuple[Any, ...] | None = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        pooled.close()  # back to the pool
    return row


class SqliteReader:
    """One connection kept for the event loop's hot read (no pool checkout and return-rollback
    per request: profiled at a third of the read's cost). Serialised by a lock, so any thread
    may use it; the loop is the only frequent caller."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._pooled: Any = None

    def fetch_one(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of a read (autocommit: each read sees the latest commit)."""
        with self._lock:
            if self._pooled is None:
                self._pooled = self._engine.raw_connection()
            driver = self._pooled.driver_connection
            row: tuple[Any, ...] | None = driver.execute(sql, params).fetchone()
        return row

    def close(self) -> None:
        """Return the connection to the pool (at shutdown)."""
        with self._lock:
            if self._pooled is not None:
                self._pooled.close()
                self._pooled = None


_READERS: weakref.WeakKeyDictionary[Engine, SqliteReader] = weakref.WeakKeyDictionary()
_READERS_LOCK = threading.Lock()


def sqlite_reader(engine: Engine) -> SqliteReader:
    """The kept reader of ``engine`` (one per engine, made on first use)."""
    with _READERS_LOCK:
        reader = _READERS.get(engine)
        if reader is None:
            reader = _READERS[engine] = SqliteReader(engine)
        return reader


def close_reader(engine: Engine) -> None:
    """Release the kept reader of ``engine``, if any (at shutdown)."""
    with _READERS_LOCK:
        reader = _READERS.pop(engine, None)
    if reader is not None:
        reader.close()


class SqliteBatchWriter:
    """One connection kept for the group committer (used by one leader at a time)."""

    def __init__(self, engine: Engine) -> None:
        self._pooled = engine.raw_connection()
        driver = self._pooled.driver_connection
        if not isinstance(driver, sqlite3.Connection):  # pragma: no cover - sqlite engines only
            raise TypeError("SqliteBatchWriter needs an sqlite3 connection")
        self._conn = driver

    def write(
        self, filings: Sequence[Filing], keys: SearchKeys | None = None
    ) -> list[PostResult | Exception]:
        """Store the batch in one transaction (sqlite3.IntegrityError if another writer raced)."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            ids = sorted({f.filing_id for f in filings})
            marks = ", ".join("?" * len(ids))
            sql = "SELECT kiosk_id, filing_id, filing_sha256 FROM filings WHERE filing_id IN "
            rows = conn.execute(f"{sql}({marks})", ids).fetchall()
            known = {(str(k), str(f)): str(d) for k, f, d in rows}
            outcomes, new = plan_batch(filings, known)
            if new:
                conn.executemany(INSERT_FILING_SQL, [row_params(f, keys) for f in new])
                conn.executemany(
                    INSERT_AUDIT_SQL, [received_audit(f, f"kiosk:{f.kiosk_id}") for f in new]
                )
            conn.execute("COMMIT")  # synchronous=FULL: durable when this returns
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return outcomes

    def close(self) -> None:
        """Return the connection to the pool."""
        self._pooled.close()
