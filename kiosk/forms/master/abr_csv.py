"""Reading the Address Base Registry (ABR) CSV layouts and the kiosk's 方書 CSV layout.

Accepted layouts, recognised by their header (English ABR names or the older Japanese ones):

* 町字マスター ``mt_town*`` — needs lg_code, machiaza_id, oaza_cho, oaza_cho_kana, rsdt_addr_flg
* 住居表示-街区マスター ``mt_rsdtdsp_blk*`` — lg_code, machiaza_id, blk_id, blk_num
* 住居表示-住居マスター ``mt_rsdtdsp_rsdt*`` — lg_code, machiaza_id, blk_id, rsdt_id, rsdt_num
* 地番マスター ``mt_parcel*`` — lg_code, machiaza_id, prc_id, prc_num1
* 方書 list (ours, docs/filing-format.md) — lg_code, machiaza_id, katagaki, katagaki_kana and
  either blk_num + rsdt_num (+ rsdt_num2) or prc_num1 (+ prc_num2, prc_num3)

Other columns are ignored. Rows with a non-empty ``ablt_date`` (abolished) are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiosk.forms.errors import ImportProblem


class Layout(StrEnum):
    """The CSV layouts the importer understands."""

    TOWN = "town"
    BLOCK = "rsdtdsp_blk"
    RESIDENCE = "rsdtdsp_rsdt"
    PARCEL = "parcel"
    KATAGAKI = "katagaki"


REQUIRED: dict[Layout, tuple[str, ...]] = {
    Layout.TOWN: ("lg_code", "machiaza_id", "oaza_cho", "oaza_cho_kana", "rsdt_addr_flg"),
    Layout.BLOCK: ("lg_code", "machiaza_id", "blk_id", "blk_num"),
    Layout.RESIDENCE: ("lg_code", "machiaza_id", "blk_id", "rsdt_id", "rsdt_num"),
    Layout.PARCEL: ("lg_code", "machiaza_id", "prc_id", "prc_num1"),
    Layout.KATAGAKI: ("lg_code", "machiaza_id", "katagaki", "katagaki_kana"),
}

#: the older Japanese ABR headers (names as in the official dataset definitions)
JAPANESE_HEADERS: dict[str, str] = {
    "全国地方公共団体コード": "lg_code",
    "町字id": "machiaza_id",
    "町字ID": "machiaza_id",
    "町字区分コード": "machiaza_type",
    "都道府県名": "pref",
    "都道府県名_カナ": "pref_kana",
    "市区町村名": "city",
    "市区町村名_カナ": "city_kana",
    "政令市区名": "ward",
    "大字・町名": "oaza_cho",
    "大字・町名_カナ": "oaza_cho_kana",
    "大字・町名_英字": "oaza_cho_roma",
    "丁目名": "chome",
    "丁目名_カナ": "chome_kana",
    "丁目名_数字": "chome_number",
    "小字名": "koaza",
    "小字名_カナ": "koaza_kana",
    "小字名_英字": "koaza_roma",
    "住居表示フラグ": "rsdt_addr_flg",
    "郵便番号": "post_code",
    "廃止日": "ablt_date",
    "効力発生日": "efct_date",
    "街区id": "blk_id",
    "街区ID": "blk_id",
    "街区符号": "blk_num",
    "住居id": "rsdt_id",
    "住居ID": "rsdt_id",
    "住居2id": "rsdt2_id",
    "住居2ID": "rsdt2_id",
    "住居番号": "rsdt_num",
    "住居番号2": "rsdt_num2",
    # 地番マスター Japanese headers: [unverified] spelling
    "地番id": "prc_id",
    "地番ID": "prc_id",
    "地番1": "prc_num1",
    "地番2": "prc_num2",
    "地番3": "prc_num3",
}


def normalise_header(name: str) -> str:
    """Map a header cell to our column name (English ABR names pass through, lower-cased)."""
    cell = name.strip().lstrip("\ufeff")
    return JAPANESE_HEADERS.get(cell, cell.lower())


def detect_layout(columns: set[str]) -> Layout | None:
    """Which layout a header belongs to (most specific first)."""
    if "katagaki" in columns:
        return Layout.KATAGAKI
    if "rsdt_id" in columns:
        return Layout.RESIDENCE
    if "prc_id" in columns:
        return Layout.PARCEL
    if "blk_id" in columns:
        return Layout.BLOCK
    if "oaza_cho" in columns and "machiaza_id" in columns:
        return Layout.TOWN
    return None


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its 1-based physical line number and its cells by column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """A cell (stripped), or "" if the column is absent."""
        return self.cells.get(column, "").strip()


@dataclass(frozen=True, slots=True)
class CsvFile:
    """A parsed CSV file of a recognised layout."""

    path: Path
    layout: Layout
    rows: tuple[Row, ...]


def _decode(path: Path, problems: list[ImportProblem]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as err:
        problems.append(ImportProblem(str(path), 0, f"cannot read file ({err.strerror})"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(ImportProblem(str(path), line, "not UTF-8 text"))
        return None


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        yield line, record


def read_csv(path: Path, problems: list[ImportProblem]) -> CsvFile | None:
    """Parse one CSV; append line-numbered problems and return None if it cannot be used."""
    text = _decode(path, problems)
    if text is None:
        return None
    name = str(path)
    try:
        records = list(_records(text))
    except csv.Error as err:
        problems.append(ImportProblem(name, 0, f"malformed CSV ({err})"))
        return None
    if not records:
        problems.append(ImportProblem(name, 1, "empty file (no header)"))
        return None
    header_line, header = records[0]
    columns = [normalise_header(c) for c in header]
    layout = detect_layout(set(columns))
    if layout is None:
        problems.append(
            ImportProblem(
                name,
                header_line,
                "unknown layout (not an ABR 町字/街区/住居/地番 file or a 方書 list)",
            )
        )
        return None
    missing = [c for c in REQUIRED[layout] if c not in columns]
    if missing:
        problems.append(
            ImportProblem(name, header_line, f"{layout.value}: missing columns {missing}")
        )
        return None
    rows: list[Row] = []
    for line, record in records[1:]:
        if not record or record == [""]:
            continue  # blank line
        if len(record) != len(columns):
            problems.append(
                ImportProblem(name, line, f"expected {len(columns)} fields, found {len(record)}")
            )
            continue
        rows.append(Row(line, dict(zip(columns, record, strict=True))))
    return CsvFile(path, layout, tuple(rows))
