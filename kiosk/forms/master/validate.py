"""Check a downloaded master file before it may replace the installed one (read-only)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from kiosk.forms.errors import MasterUnavailableError
from kiosk.forms.master.kana import is_roma
from kiosk.forms.master.lookup import AddressMaster
from kiosk.forms.master.records import MasterInfo
from kiosk.forms.master.schema import CONTENT_TABLES
from kiosk.forms.master.store import content_sha256, open_read_only

#: 全国地方公共団体コード: 5 digits plus a check digit
WARD_CODE_RE = re.compile(r"^\d{6}$")
REQUIRED_TABLES = frozenset({"meta", *CONTENT_TABLES})
REQUIRED_META = ("ward_code", "prefecture", "city", "version", "content_sha256", "imported_at")


def _check_database(db: sqlite3.Connection, where: str) -> None:
    (result,) = db.execute("PRAGMA integrity_check").fetchone()
    tables = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if result != "ok":
        raise MasterUnavailableError(where, "integrity_check failed")
    missing = sorted(REQUIRED_TABLES - tables)
    if missing:
        raise MasterUnavailableError(where, f"lacks tables {missing}")
    meta = {str(k) for (k,) in db.execute("SELECT key FROM meta")}
    absent = [key for key in REQUIRED_META if key not in meta]
    if absent:
        raise MasterUnavailableError(where, f"meta lacks {absent}")
    if db.execute("SELECT 1 FROM machiaza LIMIT 1").fetchone() is None:
        raise MasterUnavailableError(where, "holds no 町字 (empty master)")
    bad_roma = [str(r) for (r,) in db.execute("SELECT DISTINCT oaza_roma FROM machiaza")
                if not is_roma(str(r))]  # fmt: skip
    if bad_roma:  # shown to residents beside the town name: latin letters only
        raise MasterUnavailableError(where, f"romaji names are not romaji: {bad_roma[:3]}")
    (recorded,) = db.execute("SELECT value FROM meta WHERE key = 'content_sha256'").fetchone()
    if content_sha256(db) != recorded:
        raise MasterUnavailableError(where, "content does not match its recorded checksum")


def validate_master_file(path: Path, *, ward_code: str | None = None) -> MasterInfo:
    """Open ``path`` read-only and check it fully; returns its info or raises MasterUnavailable.

    Checks: a kiosk master of the current schema, ``integrity_check`` ok, every table present,
    the meta keys, at least one 町字, the content checksum, a 6-digit ward code (equal to
    ``ward_code`` when given).
    """
    where = str(path)
    db = open_read_only(path)
    try:
        _check_database(db, where)
    except sqlite3.DatabaseError as err:
        raise MasterUnavailableError(where, "not a readable SQLite database") from err
    finally:
        db.close()
    with AddressMaster.open(path) as master:
        info = master.info()
    if not WARD_CODE_RE.match(info.ward_code):
        raise MasterUnavailableError(where, f"ward code {info.ward_code!r} is not 6 digits")
    if ward_code is not None and info.ward_code != ward_code:
        raise MasterUnavailableError(where, f"is for ward {info.ward_code}, expected {ward_code}")
    return info
