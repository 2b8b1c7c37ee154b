"""Master-data sets for tests: a forms-schema SQLite file, code table, ward settings, a PEM."""

from __future__ import annotations

import functools
import json
import sqlite3
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from kiosk.forms.master.sample_data import build_sample_master
from tests.unit.sync.pki import make_pki

CODES = Path(__file__).resolve().parents[3] / "kiosk" / "forms" / "data" / "relationship_codes.json"


@functools.cache
def _sample_master_bytes() -> bytes:
    """The shipped 新宿区 sample imported once per test process (a real, valid kiosk master)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.sqlite"
        build_sample_master(path)
        return path.read_bytes()


def address_master_bytes(tmp: Path, town: str = "新宿三丁目") -> bytes:
    """A valid address master (the sample ward) plus a ``test_marker`` table naming ``town``."""
    path = tmp / f"am-{town}.sqlite"
    path.write_bytes(_sample_master_bytes())
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE test_marker (town TEXT)")
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
