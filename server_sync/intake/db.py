"""Database access: engine creation for SQLite/PostgreSQL and the numbered-SQL migration runner.

Migrations are the files ``migrations/NNNN_name.sql`` (every dialect) and
``migrations/NNNN_name.<dialect>.sql`` (only ``sqlite`` or ``postgresql``), applied in name order
and recorded in ``schema_migrations``. Other parts (the console) add their own files there.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text

from server_sync.intake.clock import stamp, utc_now
from server_sync.sqlitewal import enable_wal

log = logging.getLogger(__name__)

MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+(?:\.(sqlite|postgresql))?\.sql$")
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: the database holds personal data: owner-only, whatever the umask (SQLite gives its -wal and
#: -shm files the mode of the database file)
PRIVATE_DB_MODE = 0o600
SQLITE_FILE_PREFIX = "sqlite:///"
SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def sqlite_path(url: str) -> str | None:
    """The file of an ``sqlite:///PATH`` URL (None for memory databases and other engines)."""
    if not url.startswith(SQLITE_FILE_PREFIX):
        return None
    path = url.removeprefix(SQLITE_FILE_PREFIX).split("?", 1)[0]
    return path if path and path != ":memory:" else None


def make_private(path: str) -> None:
    """Create the database file owner-only (0600) before SQLite opens it; tighten existing ones."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_DB_MODE)
    try:
        os.fchmod(fd, PRIVATE_DB_MODE)
    finally:
        os.close(fd)
    for suffix in SQLITE_SIDE_FILES[1:]:
        try:
            os.chmod(path + suffix, PRIVATE_DB_MODE)
        except FileNotFoundError:
            continue


def engine_url(db_url: str) -> str:
    """Map a plain postgresql:// URL onto the psycopg 3 driver; other URLs pass unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if db_url.startswith(prefix):
            return "postgresql+psycopg://" + db_url[len(prefix) :]
    return db_url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # autocommit at the driver; SQLAlchemy's "begin" event below issues BEGIN IMMEDIATE so a
    # transaction never has to upgrade a read lock (which fails at once instead of waiting)
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.close()
    enable_wal(dbapi_conn, SQLITE_BUSY_TIMEOUT_MS / 1000)  # a new file opened by two at once
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(db_url: str) -> Engine:
    """Create the engine (WAL + synchronous=FULL + busy timeout on SQLite)."""
    url = engine_url(db_url)
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            make_private(path)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def dialect(engine: Engine) -> str:
    """``sqlite`` or ``postgresql``."""
    return engine.dialect.name


def _migration_files(dialect_name: str) -> list[tuple[str, str]]:
    folder = resources.files("server_sync.intake") / "migrations"
    found: list[tuple[str, str]] = []
    for entry in folder.iterdir():
        match = MIGRATION_RE.match(entry.name)
        if match is None:
            continue
        if match.group(2) is not None and match.group(2) != dialect_name:
            continue
        found.append((entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def split_statements(sql: str) -> list[str]:
    """Split a migration file on ';' at line ends, dropping '--' comment lines."""
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    parts = re.split(r";[ \t]*(?:--[^\n]*)?$", "\n".join(lines), flags=re.MULTILINE)
    return [part.strip() for part in parts if part.strip()]


#: PostgreSQL advisory lock held while one process applies a migration ("kiosk" in ASCII)
MIGRATION_LOCK_KEY = 0x6B696F736B


def migrate(engine: Engine) -> list[str]:
    """Apply every pending migration in order; returns the names applied now."""
    applied_now: list[str] = []
    with engine.begin() as conn:
        if dialect(engine) == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
        )
    with engine.connect() as conn:
        done = {row[0] for row in conn.execute(text("SELECT name FROM schema_migrations"))}
    for name, sql in _migration_files(dialect(engine)):
        if name in done:
            continue
        with engine.begin() as conn:  # BEGIN IMMEDIATE on SQLite: one migrating process at a time
            if dialect(engine) == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            # another process (a CLI command, a second server) may have applied it meanwhile
            if conn.execute(
                text("SELECT 1 FROM schema_migrations WHERE name = :n"), {"n": name}
            ).first():
                continue
            for statement in split_statements(sql):
                conn.execute(text(statement))
            conn.execute(
                text("INSERT INTO schema_migrations (name, applied_at) VALUES (:n, :t)"),
                {"n": name, "t": stamp(utc_now())},
            )
        log.info("applied migration %s", name)
        applied_now.append(name)
    return applied_now


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction: commit on success, roll back on any exception."""
    with engine.begin() as conn:
        yield conn
