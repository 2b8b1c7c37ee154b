"""The outbox's SQLite file: schema migrations, connections in WAL + synchronous=FULL, and the
pool of parked connections that keeps the folder fsync off the resident's path (see outbox.py)."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from server_sync.errors import OutboxError
from server_sync.sqlitewal import enable_wal

log = logging.getLogger("server_sync.outbox")

BUSY_TIMEOUT_MS = 10_000
SCHEMA_PACKAGE = "server_sync.outbox_schema"
#: idle connections kept per process (each holds three file descriptors: db, -wal, -shm)
MAX_IDLE_CONNECTIONS = 4


def migrations() -> list[tuple[int, str]]:
    """The numbered schema scripts (``NNNN_name.sql``) in order."""
    found: list[tuple[int, str]] = []
    for entry in resources.files(SCHEMA_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


SCHEMA_VERSION = max(number for number, _ in migrations())


def connect(path: Path) -> sqlite3.Connection:
    """Open a connection with the mandatory settings: WAL, synchronous=FULL, busy timeout."""
    # check_same_thread off: a parked connection may be taken up by another thread of the
    # process; an Outbox (and so its connection) is still used by one thread at a time.
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    mode = enable_wal(conn, BUSY_TIMEOUT_MS / 1000)
    if mode != "wal":
        conn.close()
        raise OutboxError(f"could not enable WAL on {path} (got {mode})")
    apply_settings(conn)
    return conn


def apply_settings(conn: sqlite3.Connection) -> None:
    """The per-connection settings (no I/O): synchronous=FULL, busy timeout, secure_delete."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to ``target``; returns the resulting user_version.

    The UI and the sender open the same outbox, often at the same moment on a new stand: the
    version is read again inside each migration's write transaction, so the second opener sees
    the first one's work instead of creating the tables twice.
    """
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current >= target:
        return current  # the common case: no write lock taken
    for number, script in migrations():
        if number > target:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if current < number:
                for statement in _split_sql(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
                current = number
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current


def _split_sql(script: str) -> list[str]:
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


@dataclass(slots=True)
class _Parked:
    path: str
    file_id: tuple[int, int]
    conn: sqlite3.Connection


class _IdlePool:
    """Connections closed by ``Outbox.close`` in this process, ready for the next ``open``.

    A parked connection is handed out only for the same file (same device and inode: a file
    replaced meanwhile gets a new connection), only to one ``Outbox`` at a time, and never in a
    forked child (the child drops the parent's connections without touching them). The oldest
    is really closed when more than ``MAX_IDLE_CONNECTIONS`` wait.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._parked: list[_Parked] = []

    def _own(self) -> None:
        if self._pid != os.getpid():  # forked: these belong to the parent
            self._pid, self._parked = os.getpid(), []

    def take(self, path: Path) -> sqlite3.Connection | None:
        key, file_id = _file_key(path)
        if file_id is None:
            return None
        with self._lock:
            self._own()
            found = next((p for p in self._parked if p.path == key), None)
            if found is None:
                return None
            self._parked.remove(found)
        if found.file_id != file_id:
            _close_quietly(found.conn)
            return None
        try:
            apply_settings(found.conn)  # whatever a previous user changed, FULL again
        except sqlite3.Error:
            _close_quietly(found.conn)
            return None
        return found.conn

    def park(self, path: Path, conn: sqlite3.Connection) -> None:
        key, file_id = _file_key(path)
        if file_id is None or conn.in_transaction:
            _close_quietly(conn)
            return
        with self._lock:
            self._own()
            self._parked.append(_Parked(key, file_id, conn))
            evicted = self._parked[:-MAX_IDLE_CONNECTIONS]
            del self._parked[:-MAX_IDLE_CONNECTIONS]
        for parked in evicted:
            _close_quietly(parked.conn)


def _file_key(path: Path) -> tuple[str, tuple[int, int] | None]:
    key = os.path.abspath(path)
    try:
        st = os.stat(key)
    except OSError:
        return key, None
    return key, (st.st_dev, st.st_ino)


def _close_quietly(conn: sqlite3.Connection) -> None:
    try:
        conn.close()
    except sqlite3.Error as err:
        log.warning("outbox: closing an idle connection failed (%s)", err)


_IDLE = _IdlePool()
