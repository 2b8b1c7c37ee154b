"""The filing POST's hot statements on PostgreSQL through psycopg 3 itself (fewest round trips).

Profiling showed the SQLAlchemy path costing the PostgreSQL intake more CPU per filing than
SQLite's whole insert, and several round trips per statement (pool pre-ping, BEGIN, the
statement, ROLLBACK on return). Here every hot read is one round trip on an autocommit
connection with a server-side prepared statement (``prepare_threshold=0``), and a group-commit
batch is one statement in one round trip: ``WITH f AS (INSERT INTO filings … VALUES (…), (…))
INSERT INTO audit_log … VALUES (…), (…)`` on an autocommit connection, which PostgreSQL runs as
one transaction (both inserts or neither) with one WAL flush at its end. The batch does not
look the keys up again: the POST already read the stored digest, and a key stored meanwhile
(another node, another worker) breaks the primary key, so the batch fails as a whole with
``psycopg.IntegrityError`` and the group committer retries it one filing per transaction, which
answers duplicate or 409. The column lists and values are those of the SQLAlchemy path's SQL.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
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

#: direct connections open at once per process (a read holds one for one round trip, the
#: group commit one per batch); further threads wait, so PostgreSQL's max_connections can be
#: planned: nodes × workers × (this + SQLAlchemy's pool)
MAX_CONNECTIONS = 8
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def is_postgres(engine: Engine) -> bool:
    """Whether the engine's database is PostgreSQL through psycopg (the direct path applies)."""
    return engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"


@lru_cache(maxsize=64)
def pyformat(sql: str) -> str:
    """``:name`` parameters (SQLAlchemy text, sqlite3) as psycopg's ``%(name)s``."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def multi_row(sql: str, prefix: str, rows: int) -> str:
    """A one-row ``INSERT … VALUES (:a, …)`` as one statement inserting ``rows`` rows.

    Row ``i`` takes the parameters ``%(PREFIX_a_i)s``…; see :func:`numbered`. (psycopg's
    ``executemany`` runs in pipeline mode, measured ~2 ms slower per commit on loopback.)
    """
    head, values = sql.split(" VALUES ", 1)
    values = values.replace("%", "%%")
    tuples = [
        _NAMED.sub(lambda m: f"%({prefix}_{m.group(1)}_{i})s", values)  # noqa: B023 - used at once
        for i in range(rows)
    ]
    return f"{head} VALUES {', '.join(tuples)}"


@lru_cache(maxsize=128)
def batch_statement(rows: int) -> str:
    """The one statement storing ``rows`` filings and their audit rows (see the module doc)."""
    filings = multi_row(INSERT_FILING_SQL, "f", rows)
    audits = multi_row(INSERT_AUDIT_SQL, "a", rows)
    return f"WITH f AS ({filings}) {audits}"


def numbered(prefix: str, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The parameters of :func:`multi_row`: each row's names with the prefix and its index."""
    return {
        f"{prefix}_{name}_{i}": value for i, row in enumerate(rows) for name, value in row.items()
    }


def conninfo(engine: Engine) -> str:
    """The libpq URL of the engine (without SQLAlchemy's ``+psycopg`` driver suffix)."""
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PgConnections:
    """A small pool of autocommit psycopg connections for the hot path (thread-safe)."""

    def __init__(self, engine: Engine) -> None:
        self._conninfo = conninfo(engine)
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def _connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self._conninfo, autocommit=True)
        conn.prepare_threshold = 0  # every statement prepared once, then only bound
        return conn

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection for one use (a broken one is dropped, not returned)."""
        with self._slots:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None or conn.closed:
                conn = self._connect()
            try:
                yield conn
            except BaseException:
                conn.close()  # a failed statement may leave the connection in a bad state
                raise
            if conn.closed:
                return
            with self._lock:
                self._idle.append(conn)

    def fetch_one(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of one read (one round trip, prepared statement)."""
        try:
            with self.connection() as conn:
                row: tuple[Any, ...] | None = conn.execute(pyformat(sql), params).fetchone()
        except psycopg.OperationalError:  # a connection the server closed meanwhile: once more
            with self.connection() as conn:
                row = conn.execute(pyformat(sql), params).fetchone()
        return row

    def write_batch(
        self, filings: Sequence[Filing], keys: SearchKeys | None = None
    ) -> list[PostResult | Exception]:
        """Store posted filings in one transaction, sent as one pipeline (see the module doc).

        Raises ``psycopg.IntegrityError`` if a key of the batch was stored meanwhile.
        """
        outcomes, new = plan_batch(filings, {})
        if not new:  # pragma: no cover - plan_batch keeps at least the first of each key
            return outcomes
        params = {
            **numbered("f", [row_params(f, keys) for f in new]),
            **numbered("a", [received_audit(f, f"kiosk:{f.kiosk_id}") for f in new]),
        }
        with self.connection() as conn:
            conn.execute(batch_statement(len(new)), params)
        return outcomes

    def close(self) -> None:
        """Close every idle connection (at shutdown)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


_POOLS: weakref.WeakKeyDictionary[Engine, PgConnections] = weakref.WeakKeyDictionary()
_POOLS_LOCK = threading.Lock()


def pg_connections(engine: Engine) -> PgConnections:
    """The direct connections of ``engine`` (one pool per engine, made on first use)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(engine)
        if pool is None:
            pool = _POOLS[engine] = PgConnections(engine)
        return pool
