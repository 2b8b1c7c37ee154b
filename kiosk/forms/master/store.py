"""Low-level helpers over a master SQLite file (checksums, opening read-only)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from kiosk.forms.errors import MasterUnavailableError
from kiosk.forms.master.schema import APPLICATION_ID, CONTENT_TABLES, SCHEMA_VERSION


def content_sha256(db: sqlite3.Connection) -> str:
    """SHA-256 over every content row in primary-key order (independent of file layout)."""
    h = hashlib.sha256()
    for table, order in CONTENT_TABLES.items():
        h.update(f"\x1e{table}".encode())
        # Table and column names come from a constant mapping, never from input.
        for row in db.execute(f"SELECT * FROM {table} ORDER BY {order}"):  # noqa: S608
            h.update(("\x1f".join("" if v is None else str(v) for v in row) + "\n").encode())
    return h.hexdigest()


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open a master file read-only and check that it is one of ours, of this schema."""
    if not path.is_file():
        raise MasterUnavailableError(str(path), "no master installed (run import-master)")
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as err:
        db.close()
        raise MasterUnavailableError(str(path), "not an SQLite database") from err
    if app_id != APPLICATION_ID or version != SCHEMA_VERSION:
        db.close()
        raise MasterUnavailableError(
            str(path), f"not a kiosk master of schema {SCHEMA_VERSION} (found {version})"
        )
    return db
