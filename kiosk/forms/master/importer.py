"""Import ABR CSVs (+ a 方書 list) into a fresh master file, then swap it in atomically."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kiosk.forms.errors import ImportProblem, MasterImportError
from kiosk.forms.master.abr_csv import CsvFile, Layout, Row, read_csv
from kiosk.forms.master.kana import is_roma, search_key
from kiosk.forms.master.schema import APPLICATION_ID, DDL, SCHEMA_VERSION
from kiosk.forms.master.store import content_sha256

log = logging.getLogger(__name__)

MAX_PROBLEMS = 200
MAX_NAME_CHARS = 60
_LG_CODE_RE = re.compile(r"\d{6}")
_MACHIAZA_ID_RE = re.compile(r"\d{7}")
_ID_RE = re.compile(r"\d{1,7}")
_NUMBER_RE = re.compile(r"[0-9A-Za-z\u3040-\u30ff\u4e00-\u9fff]{1,10}")
_POSTAL_RE = re.compile(r"\d{3}-?\d{4}")


@dataclass
class _Town:
    line: int
    file: str
    oaza: str
    oaza_kana: str
    oaza_roma: str
    chome: str
    chome_kana: str
    chome_number: int | None
    koaza: str
    koaza_kana: str
    residential: bool
    parcel: bool
    postal_code: str
    pref: str
    city: str


@dataclass
class _Collected:
    ward: str
    problems: list[ImportProblem] = field(default_factory=list)
    towns: dict[str, _Town] = field(default_factory=dict)
    blocks: dict[tuple[str, str], str] = field(default_factory=dict)
    block_numbers: dict[tuple[str, str], str] = field(default_factory=dict)
    residences: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    residence_numbers: set[tuple[str, str]] = field(default_factory=set)  # (machiaza, "5-2")
    parcels: dict[tuple[str, str], str] = field(default_factory=dict)
    parcel_numbers: set[tuple[str, str]] = field(default_factory=set)
    katagaki: dict[tuple[str, str, str, str], str] = field(default_factory=dict)

    def problem(self, source: CsvFile | str, line: int, message: str) -> None:
        name = str(source.path) if isinstance(source, CsvFile) else source
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(ImportProblem(name, line, message))


def _text(c: _Collected, f: CsvFile, row: Row, column: str, *, required: bool = True) -> str:
    value = row.get(column)
    if required and not value:
        c.problem(f, row.line, f"{column} is empty")
    elif len(value) > MAX_NAME_CHARS:
        c.problem(f, row.line, f"{column} is longer than {MAX_NAME_CHARS} characters")
    return value


def _matches(c: _Collected, f: CsvFile, row: Row, column: str, pattern: re.Pattern[str]) -> str:
    value = row.get(column)
    if not pattern.fullmatch(value):
        c.problem(f, row.line, f"{column} {value!r} is malformed")
    return value


def _rows_for_ward(c: _Collected, f: CsvFile) -> list[Row]:
    """Rows of this ward that are in force; other wards' rows (per-prefecture files) are skipped."""
    mine = []
    for row in f.rows:
        lg = _matches(c, f, row, "lg_code", _LG_CODE_RE)
        if lg == c.ward and not row.get("ablt_date"):
            mine.append(row)
    if f.rows and not mine:
        c.problem(f, 1, f"no rows for ward {c.ward}")
    return mine


def _collect_towns(c: _Collected, f: CsvFile) -> None:
    for row in _rows_for_ward(c, f):
        mid = _matches(c, f, row, "machiaza_id", _MACHIAZA_ID_RE)
        flag = row.get("rsdt_addr_flg")
        if flag not in ("0", "1"):
            c.problem(f, row.line, f"rsdt_addr_flg {flag!r} is not 0 or 1")
            continue
        number_text = row.get("chome_number")
        if number_text and not number_text.isdigit():
            c.problem(f, row.line, f"chome_number {number_text!r} is not a number")
            number_text = ""
        roma = row.get("oaza_cho_roma")
        if not is_roma(roma):
            c.problem(f, row.line, f"oaza_cho_roma {roma!r} is not romaji")
        postal = row.get("post_code")
        if postal and not _POSTAL_RE.fullmatch(postal):
            c.problem(f, row.line, f"post_code {postal!r} is malformed")
        town = _Town(
            line=row.line,
            file=str(f.path),
            oaza=_text(c, f, row, "oaza_cho"),
            oaza_kana=_text(c, f, row, "oaza_cho_kana"),
            oaza_roma=_text(c, f, row, "oaza_cho_roma", required=False),
            chome=_text(c, f, row, "chome", required=False),
            chome_kana=_text(c, f, row, "chome_kana", required=False),
            chome_number=int(number_text) if number_text else None,
            koaza=_text(c, f, row, "koaza", required=False),
            koaza_kana=_text(c, f, row, "koaza_kana", required=False),
            residential=flag == "1",
            parcel=flag == "0",
            postal_code=postal.replace("-", ""),
            pref=row.get("pref"),
            city=row.get("city"),
        )
        known = c.towns.get(mid)
        if known is None:
            c.towns[mid] = town
        elif (known.oaza, known.chome, known.koaza) != (town.oaza, town.chome, town.koaza):
            c.problem(f, row.line, f"machiaza_id {mid} repeats with a different name")
        elif (town.residential and known.residential) or (town.parcel and known.parcel):
            c.problem(f, row.line, f"duplicate machiaza_id {mid}")
        else:  # one 町字 with both 住居表示 and 地番 areas: one row per flag
            known.residential |= town.residential
            known.parcel |= town.parcel


def _known_town(c: _Collected, f: CsvFile, row: Row) -> str | None:
    mid = row.get("machiaza_id")
    if mid not in c.towns:
        c.problem(f, row.line, f"machiaza_id {mid!r} is not in the 町字 master")
        return None
    return mid


def _collect_blocks(c: _Collected, f: CsvFile) -> None:
    for row in _rows_for_ward(c, f):
        mid = _known_town(c, f, row)
        blk_id = _matches(c, f, row, "blk_id", _ID_RE)
        blk_num = _matches(c, f, row, "blk_num", _NUMBER_RE)
        if mid is None:
            continue
        if (mid, blk_id) in c.blocks or (mid, blk_num) in c.block_numbers:
            c.problem(f, row.line, f"duplicate 街区 {blk_num!r} in machiaza {mid}")
            continue
        c.blocks[(mid, blk_id)] = blk_num
        c.block_numbers[(mid, blk_num)] = blk_id


def _collect_residences(c: _Collected, f: CsvFile) -> None:
    for row in _rows_for_ward(c, f):
        mid = row.get("machiaza_id")
        blk_id = row.get("blk_id")
        rsdt_id = _matches(c, f, row, "rsdt_id", _ID_RE)
        rsdt2_id = row.get("rsdt2_id")
        num = _matches(c, f, row, "rsdt_num", _NUMBER_RE)
        num2 = row.get("rsdt_num2")
        if num2 and not _NUMBER_RE.fullmatch(num2):
            c.problem(f, row.line, f"rsdt_num2 {num2!r} is malformed")
        blk_num = c.blocks.get((mid, blk_id))
        if blk_num is None:
            c.problem(f, row.line, f"街区 {mid}/{blk_id} is not in the 街区 master")
            continue
        key = (mid, blk_id, rsdt_id, rsdt2_id)
        if key in c.residences:
            c.problem(f, row.line, f"duplicate 住居 {blk_num}-{num}")
            continue
        number = f"{num}-{num2}" if num2 else num
        c.residences[key] = number
        c.residence_numbers.add((mid, f"{blk_num}/{number}"))


def _chiban(row: Row) -> str:
    return "-".join(p for p in (row.get("prc_num1"), row.get("prc_num2"), row.get("prc_num3")) if p)


def _collect_parcels(c: _Collected, f: CsvFile) -> None:
    for row in _rows_for_ward(c, f):
        mid = _known_town(c, f, row)
        prc_id = _matches(c, f, row, "prc_id", re.compile(r"\d{1,15}"))
        _matches(c, f, row, "prc_num1", _NUMBER_RE)
        for extra in ("prc_num2", "prc_num3"):
            if row.get(extra) and not _NUMBER_RE.fullmatch(row.get(extra)):
                c.problem(f, row.line, f"{extra} {row.get(extra)!r} is malformed")
        if mid is None:
            continue
        if (mid, prc_id) in c.parcels:
            c.problem(f, row.line, f"duplicate 地番 id {prc_id}")
            continue
        c.parcels[(mid, prc_id)] = _chiban(row)
        c.parcel_numbers.add((mid, _chiban(row)))


def _collect_katagaki(c: _Collected, f: CsvFile) -> None:
    for row in _rows_for_ward(c, f):
        mid = _known_town(c, f, row)
        name = _text(c, f, row, "katagaki")
        kana = _text(c, f, row, "katagaki_kana")
        if mid is None:
            continue
        if row.get("rsdt_num"):
            scheme = "residential"
            num2 = row.get("rsdt_num2")
            number = f"{row.get('blk_num')}/{row.get('rsdt_num')}" + (f"-{num2}" if num2 else "")
            known = (mid, number) in c.residence_numbers
        elif row.get("prc_num1"):
            scheme, number = "parcel", _chiban(row)
            known = (mid, number) in c.parcel_numbers
        else:
            c.problem(f, row.line, "give blk_num + rsdt_num or prc_num1")
            continue
        if not known:
            c.problem(f, row.line, f"address {number!r} of 方書 {name!r} is not in the master")
            continue
        key = (mid, scheme, number, name)
        if key in c.katagaki:
            c.problem(f, row.line, f"duplicate 方書 {name!r}")
            continue
        c.katagaki[key] = kana


_ORDER = (Layout.TOWN, Layout.BLOCK, Layout.RESIDENCE, Layout.PARCEL, Layout.KATAGAKI)
_COLLECTORS = {
    Layout.TOWN: _collect_towns,
    Layout.BLOCK: _collect_blocks,
    Layout.RESIDENCE: _collect_residences,
    Layout.PARCEL: _collect_parcels,
    Layout.KATAGAKI: _collect_katagaki,
}


def collect(ward: str, paths: Sequence[Path]) -> _Collected:
    """Read and check every CSV (in dependency order); problems are collected, not raised."""
    c = _Collected(ward)
    if not _LG_CODE_RE.fullmatch(ward):
        c.problem("--ward", 0, f"ward code {ward!r} is not 6 digits")
        return c
    files = [f for p in paths if (f := read_csv(p, c.problems)) is not None]
    if c.problems:
        return c  # unreadable files: checking references now would only add noise
    for layout in _ORDER:
        for f in (f for f in files if f.layout is layout):
            _COLLECTORS[layout](c, f)
    if not c.problems and not c.towns:
        c.problem("(all files)", 0, "no 町字 master rows: give the mt_town CSV")
    return c


def _write(c: _Collected, db: sqlite3.Connection, imported_at: datetime) -> str:
    first = next(iter(c.towns.values()))
    db.executemany(
        "INSERT INTO machiaza VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                mid,
                t.oaza,
                search_key(t.oaza_kana),
                t.oaza_roma,
                t.chome,
                t.chome_number,
                t.koaza,
                f"{t.oaza}{t.chome}{t.koaza}",
                search_key(f"{t.oaza_kana}{t.chome_kana}{t.koaza_kana}"),
                search_key(f"{t.oaza}{t.chome}{t.koaza}"),
                int(t.residential),
                int(t.parcel),
                t.postal_code,
            )
            for mid, t in c.towns.items()
        ],
    )
    db.executemany(
        "INSERT INTO block VALUES (?,?,?)", [(m, b, n) for (m, b), n in c.blocks.items()]
    )
    db.executemany(
        "INSERT INTO residence VALUES (?,?,?,?,?)",
        [(*key, number) for key, number in c.residences.items()],
    )
    db.executemany(
        "INSERT INTO parcel VALUES (?,?,?)", [(m, p, ch) for (m, p), ch in c.parcels.items()]
    )
    db.executemany(
        "INSERT INTO katagaki VALUES (?,?,?,?,?)",
        [(*key, search_key(kana)) for key, kana in c.katagaki.items()],
    )
    digest = content_sha256(db)
    stamp = imported_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    meta = {
        "ward_code": c.ward,
        "prefecture": first.pref,
        "city": first.city,
        "imported_at": imported_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "content_sha256": digest,
        "version": f"{c.ward}-{stamp}-{digest[:12]}",
        "schema_version": str(SCHEMA_VERSION),
    }
    db.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return meta["version"]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def import_master(
    ward: str, csv_paths: Sequence[Path], db_path: Path, *, now: datetime | None = None
) -> str:
    """Build a master for ``ward`` from CSVs and atomically replace ``db_path``; returns version.

    All CSVs are checked first; any problem raises ``MasterImportError`` listing (file, line,
    message) and leaves ``db_path`` untouched. The new database is written to a temp file in the
    same directory, fsynced and renamed over the old one.
    """
    c = collect(ward, csv_paths)
    if c.problems:
        raise MasterImportError(c.problems)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=db_path.parent, prefix=".master-", suffix=".importing")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = DELETE")
            db.executescript(DDL)
            db.execute("BEGIN")
            version = _write(c, db, now or datetime.now(UTC))
            db.execute("COMMIT")
        finally:
            db.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("installed address master %s", version)
    return version
