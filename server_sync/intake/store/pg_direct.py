"""The filing POST's hot statements on PostgreSQL through psycopg 3 itself (fewest round trips).

Profiling showed the SQLAlchemy path costing the PostgreSQL intake more CPU per filing than
SQLite's whole insert, and several round trips per statement (pool pre-ping, BEGIN, the
statement, ROLLBACK on return). Here every hot read is one round trip on an autocommit
connection with a server-side prepared statement (``prepare_threshold=0``; the SQL is sent with
PostgreSQL's own ``$n`` parameters through a raw cursor, see :func:`positional`), and a group-commit
batch is one statement in one round trip: ``WITH f AS (INSERT INTO filings … VALUES (…), (…))
INSERT INTO audit_log … VALUES (…), (…)`` on an autocommit connection, which PostgreSQL runs as
one transaction (both inserts or neither) with one WAL flush at its end. The batch does not
look the keys up again: the POST already read the stored digest, and a key stored meanwhile
(another node, another worker) breaks the primary key, so the batch fails as a whole with
``psycopg.IntegrityError`` and the group committer retries it one filing per transaction, which
answers duplicate or 409. The column lists and values are those of the SQLAlchemy path's SQL.
A POST that skipped its read (a kiosk's next POSTs, checked against the kiosk row its last POST
read: ``routes/filings.py``) is stored by a *guarded* row, whose kiosk id is NULL — so the whole
batch fails — unless the key it verified with is still the kiosk's current, unrevoked key in
the statement's own snapshot; such a filing is then not retried here but checked again in full.
The event loop's read skips psycopg's cursor layers too (:func:`raw_fetch_one`: the statement
prepared once per connection and driven through its libpq handle).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import pq
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
#: planned: nodes × workers × (this + MAX_LOOP_CONNECTIONS + SQLAlchemy's pool)
MAX_CONNECTIONS = 8
#: connections of the event loop's awaited reads per process (further reads await a free one)
MAX_LOOP_CONNECTIONS = 4
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_DOLLAR = re.compile(r"\$(\d+)")


def is_postgres(engine: Engine) -> bool:
    """Whether the engine's database is PostgreSQL through psycopg (the direct path applies)."""
    return engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"


@lru_cache(maxsize=64)
def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """``:name`` parameters as PostgreSQL's own ``$n``, and the names in ``$n`` order.

    The statements go through psycopg's raw cursor, which sends the text as it is: psycopg's
    own ``%(name)s`` conversion parses the query text on every call for statements longer than
    its 4 kB cache limit — which every group-commit batch is (profiled: the largest CPU item of
    a PostgreSQL commit). A name used twice gets one number.
    """
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _NAMED.sub(number, sql), tuple(names)


def _rows_of(sql: str, rows: int, offset: int) -> str:
    """A one-row ``INSERT … VALUES ($1, …)`` as ``rows`` rows numbered from ``offset + 1``."""
    head, values = sql.split(" VALUES ", 1)
    width = len(_DOLLAR.findall(values))
    tuples = [
        _DOLLAR.sub(lambda m: f"${int(m.group(1)) + offset + i * width}", values)  # noqa: B023
        for i in range(rows)
    ]
    return f"{head} VALUES {', '.join(tuples)}"


@lru_cache(maxsize=128)
def batch_statement(rows: int, guarded: int = 0) -> str:
    """The one statement storing ``rows`` filings and their audit rows (see the module doc).

    Parameters: every filing row's values in :data:`FILING_NAMES` order, then every audit
    row's in :data:`AUDIT_NAMES` order, then the key id of each of the first ``guarded`` rows
    (:func:`batch_params`). A guarded row's kiosk id is :data:`KIOSK_GUARD_SQL`: NULL unless
    that key is still the kiosk's current one and the kiosk is not revoked, when the row read
    in this statement's snapshot — so a revocation or re-enrolment committed before the batch
    fails it as a whole (``NotNullViolation``, an ``IntegrityError``) and nothing is stored.
    """
    filings = _rows_of(FILING_SQL, rows, 0)
    if guarded:
        filings = _guard_rows(filings, guarded, rows * (len(FILING_NAMES) + len(AUDIT_NAMES)))
    audits = _rows_of(AUDIT_SQL, rows, rows * len(FILING_NAMES))
    return f"WITH f AS ({filings}) {audits}"


#: a guarded filing row's kiosk id (see :func:`batch_statement`); {k}: the row's kiosk id
#: parameter, {key}: the key id the POST's signatures verified with
KIOSK_GUARD_SQL = (
    "(SELECT g.kiosk_id FROM kiosks g WHERE g.kiosk_id = {k} AND g.key_id = {key}"
    " AND g.revoked_at IS NULL)"
)


def _guard_rows(filings: str, guarded: int, first_key: int) -> str:
    """The kiosk id value of the first ``guarded`` rows of ``filings`` replaced by the guard."""
    head, values = filings.split(" VALUES ", 1)
    tuples = values.split("), (")
    width = len(FILING_NAMES)
    column = FILING_NAMES.index("kiosk_id")
    for i in range(guarded):
        k = f"${i * width + column + 1}"
        guard = KIOSK_GUARD_SQL.format(k=k, key=f"${first_key + i + 1}")
        tuples[i] = re.sub(rf"\{k}(?!\d)", guard, tuples[i], count=1)
    return f"{head} VALUES {'), ('.join(tuples)}"


def batch_params(
    filing_rows: Sequence[dict[str, Any]],
    audit_rows: Sequence[dict[str, Any]],
    guard_keys: Sequence[str] = (),
) -> list[Any]:
    """The flat parameter list of :func:`batch_statement`."""
    params = [row[name] for row in filing_rows for name in FILING_NAMES]
    params += [row[name] for row in audit_rows for name in AUDIT_NAMES]
    params += guard_keys
    return params


FILING_SQL, FILING_NAMES = positional(INSERT_FILING_SQL)
AUDIT_SQL, AUDIT_NAMES = positional(INSERT_AUDIT_SQL)


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
        #: connections of the event loop's reads (used from the loop's thread only)
        self._aloop: asyncio.AbstractEventLoop | None = None
        self._aidle: list[psycopg.AsyncConnection[Any]] = []
        self._aslots = asyncio.Semaphore(MAX_LOOP_CONNECTIONS)

    def _connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(self._conninfo, autocommit=True, cursor_factory=psycopg.RawCursor)
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
        query, names = positional(sql)
        values = [params[name] for name in names]
        try:
            with self.connection() as conn:
                row: tuple[Any, ...] | None = conn.execute(query, values).fetchone()
        except psycopg.OperationalError:  # a connection the server closed meanwhile: once more
            with self.connection() as conn:
                row = conn.execute(query, values).fetchone()
        return row

    async def fetch_one_async(self, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """:meth:`fetch_one` for the event loop: the loop keeps checking other requests while
        the round trip is under way (no thread hop, no blocked loop)."""
        query, names = positional(sql)
        values = [params[name] for name in names]
        try:
            return await self._fetch_async(query, values)
        except psycopg.OperationalError:  # a connection the server closed meanwhile: once more
            return await self._fetch_async(query, values)

    async def _fetch_async(self, query: str, values: list[Any]) -> tuple[Any, ...] | None:
        loop = asyncio.get_running_loop()
        if self._aloop is not loop:  # connections belong to the loop that opened them
            for stale in self._aidle:
                stale.pgconn.finish()
            self._aloop, self._aidle = loop, []
            self._aslots = asyncio.Semaphore(MAX_LOOP_CONNECTIONS)
        async with self._aslots:
            conn = self._aidle.pop() if self._aidle else None
            if conn is None or conn.closed:
                conn = await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True, cursor_factory=psycopg.AsyncRawCursor
                )
                conn.prepare_threshold = 0
            try:
                row = await raw_fetch_one(conn, query, values)
            except BaseException:
                await conn.close()
                raise
            self._aidle.append(conn)
        return row

    def write_batch(
        self,
        filings: Sequence[Filing],
        keys: SearchKeys | None = None,
        guards: Mapping[int, str] | None = None,
    ) -> list[PostResult | Exception]:
        """Store posted filings in one transaction, sent as one pipeline (see the module doc).

        ``guards``: index in ``filings`` → the key id that must still be its kiosk's current,
        unrevoked key (checked in the same statement, see :func:`batch_statement`).
        Raises ``psycopg.IntegrityError`` if a key of the batch was stored meanwhile or a guard
        failed (nothing stored).
        """
        outcomes, new = plan_batch(filings, {})
        if not new:  # pragma: no cover - plan_batch keeps at least the first of each key
            return outcomes
        guard_of = {id(filings[i]): key for i, key in (guards or {}).items()}
        # the guarded rows first (one statement text per (rows, guarded) pair)
        rows = [f for f in new if id(f) in guard_of] + [f for f in new if id(f) not in guard_of]
        guard_keys = [guard_of[id(f)] for f in rows if id(f) in guard_of]
        params = batch_params(
            [row_params(f, keys) for f in rows],
            [received_audit(f, f"kiosk:{f.kiosk_id}") for f in rows],
            guard_keys,
        )
        with self.connection() as conn:
            conn.execute(batch_statement(len(rows), len(guard_keys)), params)
        return outcomes

    def close(self) -> None:
        """Close every idle connection (at shutdown)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        aidle, self._aidle = self._aidle, []
        for aconn in aidle:  # at shutdown, their loop is gone: close the sockets directly
            aconn.pgconn.finish()


#: result column types the loop's raw read decodes (PostgreSQL type OIDs): text → str, integer → int
_TEXT_OIDS = frozenset({19, 25, 1042, 1043})  # name, text, bpchar, varchar
_INT_OIDS = frozenset({20, 21, 23})  # int8, int2, int4
#: the statements prepared on each loop connection (names made from the SQL text)
_PREPARED: weakref.WeakKeyDictionary[psycopg.AsyncConnection[Any], set[bytes]] = (
    weakref.WeakKeyDictionary()
)


async def raw_fetch_one(
    conn: psycopg.AsyncConnection[Any], query: str, values: Sequence[Any]
) -> tuple[Any, ...] | None:
    """The first row of a prepared read sent through the connection's libpq handle itself.

    psycopg's cursor layers (adaptation, generators, two readiness waits through its own
    machinery) cost the event loop more CPU than all of SQLite's read (profiled: ~0.15 ms per
    filing POST). Here the statement is prepared once per connection, sent with text
    parameters, and its text/integer result columns decoded directly; an error result or a
    broken connection raises psycopg's error (the caller drops the connection).
    """
    pg = conn.pgconn
    pg.nonblocking = 1
    name = b"intake_" + hashlib.sha256(query.encode()).hexdigest()[:16].encode()
    prepared = _PREPARED.setdefault(conn, set())
    if name not in prepared:
        pg.send_prepare(name, query.encode())
        _check(await _result(pg), pq.ExecStatus.COMMAND_OK)
        prepared.add(name)
    pg.send_query_prepared(name, [None if v is None else str(v).encode() for v in values])
    result = _check(await _result(pg), pq.ExecStatus.TUPLES_OK)
    if result.ntuples == 0:
        return None
    return tuple(_column(result, col) for col in range(result.nfields))


def _column(result: pq.abc.PGresult, col: int) -> Any:
    raw = result.get_value(0, col)
    oid = result.ftype(col)
    if raw is None:
        return None
    if oid in _TEXT_OIDS:
        return raw.decode("utf-8")
    if oid in _INT_OIDS:
        return int(raw)
    raise TypeError(f"the raw read does not decode PostgreSQL type {oid}")


def _check(result: pq.abc.PGresult, wanted: pq.ExecStatus) -> pq.abc.PGresult:
    if result.status != wanted:
        message = (result.error_message or b"").decode("utf-8", "replace")
        raise psycopg.DatabaseError(f"hot read failed: {message.strip()}")
    return result


async def _result(pg: pq.abc.PGconn) -> pq.abc.PGresult:
    """Send what was queued, then the command's result (libpq in non-blocking mode)."""
    loop = asyncio.get_running_loop()
    fd = pg.socket
    while pg.flush():
        await _ready(loop, fd, writing=True)
    results: list[pq.abc.PGresult] = []
    while True:
        pg.consume_input()  # raises psycopg.OperationalError if the connection broke
        if pg.is_busy():
            await _ready(loop, fd, writing=False)
            continue
        result = pg.get_result()
        if result is None:
            break
        results.append(result)
    if not results or pg.status != pq.ConnStatus.OK:
        raise psycopg.OperationalError("connection lost during the hot read")
    return results[0]


async def _ready(loop: asyncio.AbstractEventLoop, fd: int, *, writing: bool) -> None:
    """Wait until the socket is readable (or writable)."""
    ready: asyncio.Future[None] = loop.create_future()
    if writing:
        loop.add_writer(fd, _wake, ready)
    else:
        loop.add_reader(fd, _wake, ready)
    try:
        await ready
    finally:
        if writing:
            loop.remove_writer(fd)
        else:
            loop.remove_reader(fd)


def _wake(ready: asyncio.Future[None]) -> None:
    if not ready.done():
        ready.set_result(None)


_POOLS: weakref.WeakKeyDictionary[Engine, PgConnections] = weakref.WeakKeyDictionary()
_POOLS_LOCK = threading.Lock()


def pg_connections(engine: Engine) -> PgConnections:
    """The direct connections of ``engine`` (one pool per engine, made on first use)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(engine)
        if pool is None:
            pool = _POOLS[engine] = PgConnections(engine)
        return pool
