"""Romaji names from the ABR ``*_roma`` columns: imported, checked, kept out when malformed."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.forms.errors import MasterImportError, MasterUnavailableError
from kiosk.forms.master import AddressMaster, import_master, validate_master_file
from kiosk.forms.master.abr_csv import JAPANESE_HEADERS
from kiosk.forms.master.kana import is_roma
from kiosk.forms.master.sample_data import SAMPLE_WARD, sample_csv_paths
from kiosk.forms.master.schema import APPLICATION_ID, SCHEMA_VERSION
from kiosk.forms.master.store import content_sha256


def test_towns_and_machiaza_carry_the_romaji(sample_master: AddressMaster) -> None:
    towns = {t.name: t.roma for t in sample_master.towns("")}
    assert towns["新宿"] == "Shinjuku" and towns["神楽坂"] == "Kagurazaka"
    m = sample_master.machiaza("0020003")
    assert m is not None
    assert (m.roma, m.town_kana, m.chome_number) == ("Shinjuku", "シンジュク", 3)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("Shinjuku", True), ("Ōkubo", True), ("Ichigaya-tamachi", True), ("", True),
     ("[color=ff0000]X", False), ("新宿", False), ("Shin\njuku", False)],
)  # fmt: skip
def test_romaji_pattern(text: str, ok: bool) -> None:
    assert is_roma(text) is ok


def _copy_sample(tmp: Path) -> list[Path]:
    out = []
    for p in sample_csv_paths():
        shutil.copy(p, tmp / p.name)
        out.append(tmp / p.name)
    return out


def test_import_refuses_markup_in_a_romaji_column(tmp_path: Path) -> None:
    files = _copy_sample(tmp_path)
    town = next(p for p in files if "mt_town" in p.name)
    rows = list(csv.reader(town.open(encoding="utf-8", newline="")))
    rows[4][rows[0].index("oaza_cho_roma")] = "[b]Shinjuku[/b]"
    with town.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    with pytest.raises(MasterImportError) as info:
        import_master(SAMPLE_WARD, files, tmp_path / "master.sqlite")
    assert any(p.line == 5 and "oaza_cho_roma" in p.message for p in info.value.problems)


def test_japanese_header_of_the_romaji_columns() -> None:
    assert JAPANESE_HEADERS["大字・町名_英字"] == "oaza_cho_roma"
    assert JAPANESE_HEADERS["小字名_英字"] == "koaza_roma"


def test_downloaded_master_with_bad_romaji_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "master.sqlite"
    import_master(SAMPLE_WARD, sample_csv_paths(), path)
    validate_master_file(path)  # the sample passes
    db = sqlite3.connect(path)
    db.execute("UPDATE machiaza SET oaza_roma = '[size=90]Shinjuku' WHERE oaza_cho = '新宿'")
    # re-sign the content so only the romaji check can refuse it
    db.execute("UPDATE meta SET value = ? WHERE key = 'content_sha256'", (content_sha256(db),))
    db.commit()
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    with pytest.raises(MasterUnavailableError, match="romaji"):
        validate_master_file(path)


def test_master_without_romaji_still_opens(tmp_path: Path) -> None:
    """Older masters (romaji columns empty) stay valid: the picker then shows the kana."""
    path = tmp_path / "master.sqlite"
    import_master(SAMPLE_WARD, sample_csv_paths(), path)
    db = sqlite3.connect(path)
    db.execute("UPDATE machiaza SET oaza_roma = ''")
    db.execute("UPDATE meta SET value = ? WHERE key = 'content_sha256'", (content_sha256(db),))
    db.commit()
    db.close()
    validate_master_file(path)
    with AddressMaster.open(path) as master:
        assert {t.roma for t in master.towns("")} == {""}
