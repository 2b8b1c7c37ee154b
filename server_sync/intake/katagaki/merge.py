"""Adding the confirmed 方書 to a master set's ``address_master.sqlite`` at publish time.

The file is rewritten in a temporary folder: ``INSERT OR IGNORE`` of the entries whose 町字 the
master holds, the ``content_sha256`` meta recomputed (kiosks verify it), then ``VACUUM`` so
the same inputs give the same bytes (publishing twice stays one version). With nothing to add,
the set is returned unchanged (byte for byte).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from kiosk.forms.master.store import content_sha256

from .decisions import Entry

ADDRESS_MASTER = "address_master.sqlite"


def merge_entries(master: bytes, entries: Sequence[Entry]) -> tuple[bytes, int]:
    """(new master bytes, entries added); the same bytes when none is new."""
    if not entries:
        return master, 0
    with tempfile.TemporaryDirectory(prefix="katagaki-") as tmp:
        path = Path(tmp) / ADDRESS_MASTER
        path.write_bytes(master)
        db = sqlite3.connect(path)
        try:
            known = {str(r[0]) for r in db.execute("SELECT machiaza_id FROM machiaza")}
            before = db.total_changes
            for e in entries:
                if e.machiaza_id in known:
                    db.execute(
                        "INSERT OR IGNORE INTO katagaki (machiaza_id, scheme, number, name, kana)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (e.machiaza_id, e.scheme, e.number, e.name, e.kana),
                    )
            added = db.total_changes - before
            if added == 0:
                db.rollback()
                return master, 0
            db.execute(
                "UPDATE meta SET value = ? WHERE key = 'content_sha256'", (content_sha256(db),)
            )
            db.commit()
            db.execute("VACUUM")
        finally:
            db.close()
        return path.read_bytes(), added


def with_confirmed(files: Mapping[str, bytes], entries: Sequence[Entry]) -> dict[str, bytes]:
    """The set with the confirmed entries added to its address master (if it has one)."""
    out = dict(files)
    if ADDRESS_MASTER in out:
        out[ADDRESS_MASTER], _added = merge_entries(out[ADDRESS_MASTER], entries)
    return out
