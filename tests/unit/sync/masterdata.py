"""Master-data sets for tests: a forms-schema SQLite file, code table, ward settings, a PEM."""

from __future__ import annotations

import functools
import json
import sqlite3
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from tests.unit.sync.pki import make_pki

CODES = Path(__file__).resolve().parents[3] / "kiosk" / "forms" / "data" / "relationship_codes.json"


def address_master_bytes(tmp: Path, town: str = "新宿三丁目") -> bytes:
    """A small SQLite file with the forms master schema when available."""
    path = tmp / f"am-{town}.sqlite"
    conn = sqlite3.connect(path)
    try:
        from kiosk.forms.master.schema import DDL

        conn.executescript(DDL)
    except ImportError:
        conn.execute("CREATE TABLE machiaza (machiaza_id TEXT PRIMARY KEY, name TEXT)")
    conn.execute("CREATE TABLE IF NOT EXISTS test_marker (town TEXT)")
    conn.execute("INSERT INTO test_marker VALUES (?)", (town,))
    conn.commit()
    conn.close()
    return path.read_bytes()


@functools.cache
def _root_pem() -> bytes:
    return make_pki().root.public_bytes(Encoding.PEM)


def master_set(tmp: Path, town: str = "新宿三丁目") -> dict[str, bytes]:
    pem = _root_pem()
    return {
        "address_master.sqlite": address_master_bytes(tmp, town),
        "relationship_codes.json": CODES.read_bytes(),
        "ward_settings.json": json.dumps({"counter": "3番窓口", "town": town}).encode(),
        "trust/jpki-user.pem": pem,
    }


def write_master_folder(folder: Path, files: dict[str, bytes]) -> Path:
    """Lay a set out as a folder (what ``publish-master --master`` reads)."""
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder
