"""The address-master check (kiosk.forms.master.validate_master_file) on real good and bad files."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.forms.errors import MasterUnavailableError
from kiosk.forms.master import validate_master_file
from server_sync.errors import MasterDataError
from server_sync.master_validate import validate_file
from tests.unit.sync.masterdata import address_master_bytes

SAMPLE_WARD = "131041"
FIRST_TOWN = "SELECT min(machiaza_id) FROM machiaza"
EMPTIED = ("residence", "block", "parcel", "katagaki", "machiaza")  # children first


@pytest.fixture
def master(tmp_path: Path) -> Path:
    path = tmp_path / "address_master.sqlite"
    path.write_bytes(address_master_bytes(tmp_path))
    return path


def _sql(*statements: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        conn = sqlite3.connect(path)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()

    return change


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:4096])


def _smash_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[8192:16384] = b"\xa5" * 8192  # garbage over a few b-tree pages
    path.write_bytes(bytes(data))


def _text(path: Path) -> None:
    path.write_text("machiaza_id,name\n0010003,新宿三丁目\n", encoding="utf-8")


def _foreign(path: Path) -> None:
    path.unlink()
    _sql("CREATE TABLE machiaza (machiaza_id TEXT)")(path)


def test_the_sample_master_passes_and_reports_its_ward(master: Path) -> None:
    info = validate_master_file(master, ward_code=SAMPLE_WARD)
    assert (info.ward_code, info.city) == (SAMPLE_WARD, "新宿区")
    assert info.counts["machiaza"] > 0
    validate_file(master, "address_master.sqlite")  # the sync side accepts it too


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_truncate, "SQLite"),
        (_smash_pages, ""),
        (_text, "SQLite"),
        (_foreign, "not a kiosk master"),
        (_sql("PRAGMA user_version = 9"), "not a kiosk master"),
        (_sql("DROP TABLE katagaki"), "lacks tables ['katagaki']"),
        (_sql("DELETE FROM meta WHERE key = 'content_sha256'"), "meta lacks ['content_sha256']"),
        (_sql(*(f"DELETE FROM {t}" for t in EMPTIED)), "empty"),
        (_sql(f"UPDATE machiaza SET name = '偽町' WHERE machiaza_id = ({FIRST_TOWN})"), "checksum"),
        (_sql("UPDATE meta SET value = '13104' WHERE key = 'ward_code'"), "not 6 digits"),
    ],
)
def test_bad_files_are_refused_with_a_reason(
    master: Path, damage: Callable[[Path], None], reason: str
) -> None:
    damage(master)
    with pytest.raises(MasterUnavailableError) as info:
        validate_master_file(master)
    assert reason in info.value.reason
    with pytest.raises(MasterDataError, match="address_master.sqlite"):
        validate_file(master, "address_master.sqlite")


def test_a_master_of_another_ward_is_refused_when_the_ward_is_given(master: Path) -> None:
    with pytest.raises(MasterUnavailableError, match="expected 131059"):
        validate_master_file(master, ward_code="131059")


def test_validation_never_writes_to_the_file(master: Path) -> None:
    before = master.read_bytes()
    master.chmod(0o444)
    validate_master_file(master)
    assert master.read_bytes() == before
    assert not master.with_name(master.name + "-wal").exists()
