"""Master import: the sample ward, real ABR headers, line-numbered errors, atomic replacement."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.forms.errors import MasterImportError, MasterUnavailableError
from kiosk.forms.master import AddressMaster, file_sha256, import_master
from kiosk.forms.master.abr_csv import JAPANESE_HEADERS
from kiosk.forms.master.sample_data import SAMPLE_WARD, sample_csv_paths

REPO = Path(__file__).resolve().parents[3]


def _copy_sample(tmp: Path) -> list[Path]:
    out = []
    for p in sample_csv_paths():
        dest = tmp / p.name
        shutil.copy(p, dest)
        out.append(dest)
    return out


def _edit(path: Path, line: int, column: str, value: str) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_sample_master_has_both_numbering_schemes(sample_master: AddressMaster) -> None:
    info = sample_master.info()
    assert info.ward_code == SAMPLE_WARD
    assert (info.prefecture, info.city) == ("東京都", "新宿区")
    assert info.counts["machiaza"] > 40 and info.counts["residence"] > 1000
    assert info.counts["parcel"] > 100 and info.counts["katagaki"] >= 10
    assert info.version.startswith("131041-") and info.version.endswith(info.content_sha256[:12])
    kita = sample_master.machiaza("0070000")
    shinjuku3 = sample_master.machiaza("0020003")
    mixed = sample_master.machiaza("0073001")
    assert kita and not kita.residential and kita.parcel
    assert shinjuku3 and shinjuku3.residential and not shinjuku3.parcel
    assert shinjuku3.name == "新宿三丁目" and shinjuku3.postal_code == "1600022"
    assert mixed and mixed.residential and mixed.parcel


def test_same_input_gives_the_same_content_checksum(tmp_path: Path) -> None:
    build = [tmp_path / "a.sqlite", tmp_path / "b.sqlite"]
    for db in build:
        import_master(SAMPLE_WARD, sample_csv_paths(), db)
    infos = []
    for db in build:
        with AddressMaster.open(db) as m:
            infos.append(m.info())
    assert infos[0].content_sha256 == infos[1].content_sha256


def test_bad_csv_lists_file_and_line_and_leaves_master_untouched(tmp_path: Path) -> None:
    installed = tmp_path / "state" / "master.sqlite"
    import_master(SAMPLE_WARD, sample_csv_paths(), installed)
    before = file_sha256(installed)
    files = _copy_sample(tmp_path)
    town, block, rsdt = files[0], files[1], files[2]
    _edit(town, 3, "machiaza_id", "12AB")
    _edit(town, 5, "rsdt_addr_flg", "7")
    _edit(block, 10, "machiaza_id", "0999001")
    _edit(rsdt, 20, "blk_id", "099")
    with pytest.raises(MasterImportError) as info:
        import_master(SAMPLE_WARD, files, installed)
    problems = {(Path(p.file).name, p.line) for p in info.value.problems}
    assert (town.name, 3) in problems
    assert (town.name, 5) in problems
    assert (block.name, 10) in problems
    assert (rsdt.name, 20) in problems
    messages = " ".join(p.message for p in info.value.problems)
    assert "rsdt_addr_flg '7'" in messages and "'0999001' is not in the 町字 master" in messages
    assert file_sha256(installed) == before
    assert sorted(p.name for p in installed.parent.iterdir()) == ["master.sqlite"]


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("", 1, "empty file"),
        ("a,b,c\n1,2,3\n", 1, "unknown layout"),
        ("lg_code,machiaza_id,blk_id\n131041,0020001,001\n", 1, "missing columns ['blk_num']"),
        ("lg_code,machiaza_id,blk_id,blk_num\n131041,0020001,001\n", 2, "expected 4 fields"),
        (
            "lg_code,machiaza_id,blk_id,blk_num\n131041,0020001,901,91\n131041,0020001,902,91\n",
            3,
            "duplicate",
        ),
        ("lg_code,machiaza_id,blk_id,blk_num\n131016,0020001,001,1\n", 1, "no rows for ward"),
    ],
)
def test_structural_problems_are_reported_with_line_numbers(
    tmp_path: Path, content: str, line: int, fragment: str
) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(MasterImportError) as info:
        import_master(SAMPLE_WARD, [*sample_csv_paths(), extra], tmp_path / "m.sqlite")
    hits = [p for p in info.value.problems if Path(p.file).name == "extra.csv"]
    assert hits and hits[0].line == line and fragment in hits[0].message, hits
    assert not (tmp_path / "m.sqlite").exists()


def test_non_utf8_line_is_located(tmp_path: Path) -> None:
    files = _copy_sample(tmp_path)
    data = files[1].read_bytes().split(b"\n")
    data[6] = data[6] + "新宿".encode("shift_jis")
    files[1].write_bytes(b"\n".join(data))
    with pytest.raises(MasterImportError) as info:
        import_master(SAMPLE_WARD, files, tmp_path / "m.sqlite")
    assert [(Path(p.file).name, p.line) for p in info.value.problems] == [(files[1].name, 7)]


def test_katagaki_for_unknown_address_is_rejected(tmp_path: Path) -> None:
    files = _copy_sample(tmp_path)
    _edit(files[4], 2, "rsdt_num", "999")
    with pytest.raises(MasterImportError) as info:
        import_master(SAMPLE_WARD, files, tmp_path / "m.sqlite")
    assert [(Path(p.file).name, p.line) for p in info.value.problems] == [(files[4].name, 2)]


def test_japanese_headers_other_wards_and_abolished_rows(tmp_path: Path) -> None:
    files = _copy_sample(tmp_path)
    to_japanese = {v: k for k, v in JAPANESE_HEADERS.items()}
    rows = list(csv.reader(files[0].open(encoding="utf-8", newline="")))
    rows[0] = [to_japanese.get(c, c) for c in rows[0]]
    assert "全国地方公共団体コード" in rows[0] and "大字・町名_カナ" in rows[0]
    other_ward = list(rows[1])
    other_ward[0] = "131016"
    other_ward[rows[0].index("大字・町名")] = "千代田"
    abolished = list(rows[1])
    abolished[1] = "0099001"
    abolished[rows[0].index("廃止日")] = "2020-01-01"
    rows += [other_ward, abolished]
    with files[0].open("w", encoding="utf-8-sig", newline="") as fh:  # with a BOM
        csv.writer(fh, lineterminator="\r\n").writerows(rows)
    db = tmp_path / "m.sqlite"
    import_master(SAMPLE_WARD, files, db)
    with AddressMaster.open(db) as m:
        assert m.towns("千代田") == []
        assert m.machiaza("0099001") is None
        assert m.machiaza("0020003") is not None


def test_bad_ward_code_and_missing_town_file(tmp_path: Path) -> None:
    with pytest.raises(MasterImportError) as info:
        import_master("13104", sample_csv_paths(), tmp_path / "m.sqlite")
    assert "6 digits" in info.value.problems[0].message
    with pytest.raises(MasterImportError) as info:
        import_master(SAMPLE_WARD, sample_csv_paths()[3:4], tmp_path / "m.sqlite")
    assert info.value.problems


def test_open_refuses_missing_or_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(MasterUnavailableError):
        AddressMaster.open(tmp_path / "none.sqlite")
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(MasterUnavailableError):
        AddressMaster.open(foreign)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(MasterUnavailableError):
        AddressMaster.open(junk)


def test_cli_import_master_and_info(tmp_path: Path) -> None:
    env = {**os.environ, "KIOSK_STATE_DIR": str(tmp_path / "state")}
    env.pop("KIOSK_MASTER_DB", None)
    cmd = [sys.executable, "-m", "kiosk.forms"]
    csvs = [str(p) for p in sample_csv_paths()]
    ok = subprocess.run(
        [*cmd, "import-master", "--ward", SAMPLE_WARD, *csvs],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    installed = tmp_path / "state" / "master.sqlite"
    assert installed.is_file() and "version 131041-" in ok.stdout
    before = file_sha256(installed)
    bad = tmp_path / "bad.csv"
    bad.write_text("lg_code,machiaza_id,blk_id,blk_num\n131041,0020001,001\n", encoding="utf-8")
    rejected = subprocess.run(
        [*cmd, "import-master", "--ward", SAMPLE_WARD, *csvs, str(bad)],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert rejected.returncode == 2
    assert f"{bad}:2: expected 4 fields" in rejected.stderr
    assert "Traceback" not in rejected.stderr
    assert file_sha256(installed) == before
    info = subprocess.run(
        [*cmd, "master-info"], env=env, capture_output=True, text=True, cwd=REPO, check=False
    )
    assert info.returncode == 0 and "ward 131041 東京都新宿区" in info.stdout
    missing = subprocess.run(
        [*cmd, "master-info", "--db", str(tmp_path / "x.sqlite")],
        env=env,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert missing.returncode == 3 and "Traceback" not in missing.stderr


def test_export_bundle_is_an_identical_master(sample_master: AddressMaster, tmp_path: Path) -> None:
    info, sha = sample_master.export_bundle(tmp_path / "bundle" / "master.sqlite")
    assert sha == file_sha256(tmp_path / "bundle" / "master.sqlite")
    with AddressMaster.open(tmp_path / "bundle" / "master.sqlite") as copy:
        assert copy.info().content_sha256 == info.content_sha256
