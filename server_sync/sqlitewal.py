"""Switching an SQLite database to WAL when other processes may be opening it at the same moment."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

#: pause between tries while another connection holds the lock the switch needs
WAL_RETRY_S = 0.01


def enable_wal(conn: Any, timeout_s: float) -> str:
    """``PRAGMA journal_mode=WAL`` on a DB-API connection; returns the resulting mode.

    The switch answers "database is locked" at once, without the busy handler, while another
    process is switching or reading the new file: it is retried for up to ``timeout_s``.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        cur = conn.cursor()
        try:
            return str(cur.execute("PRAGMA journal_mode=WAL").fetchone()[0])
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
        finally:
            cur.close()
        time.sleep(WAL_RETRY_S)
