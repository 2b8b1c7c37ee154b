"""A ward's mapping directory: the code tables the kihon profile codes values through.

Every file is a JSON object ``{"name": "...", "codes": {"<value>": "<code>", ...}}`` (the shape of
``relationship_codes.json``). A value missing from its table stops the export with
:class:`UnmappedValueError`; a blank is never written in place of a code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.forms.relationship import RelationshipCodes
from server_sync.intake.kihon.errors import MappingFileError, UnmappedValueError

RELATIONSHIP_FILE = "relationship_codes.json"  # 続柄 word → code (kiosk.forms.relationship)
REASON_FILE = "idou_jiyu.json"  # 異動事由 class (§1.2.2) → the ward's 異動事由コード
COUNTRY_FILE = "countries.json"  # 国名 / 国籍 as written → 国名コード
STATUS_FILE = "residence_status.json"  # 在留資格 as written → 在留資格等コード
MACHIAZA_FILE = "machiaza.json"  # ABR 町字ID → 住所コード (住所_町字コード)
KATAGAKI_FILE = "katagaki.json"  # 方書 (building, master name) → 方書コード
MAX_MAPPING_BYTES = 4 * 1024 * 1024

#: table names as they appear in error messages
TABLE_REASON = "異動事由"
TABLE_COUNTRY = "国名"
TABLE_STATUS = "在留資格"
TABLE_MACHIAZA = "町字ID"
TABLE_KATAGAKI = "方書"


@dataclass(frozen=True, slots=True)
class CodeTable:
    """One mapping file: value → code."""

    table: str
    file: str
    name: str
    codes: Mapping[str, str]

    def code(self, value: str, filing_id: str, member_no: int | None = None) -> str:
        """The code of ``value``; :class:`UnmappedValueError` if the ward did not map it."""
        code = self.codes.get(value, "")
        if not code:
            raise UnmappedValueError(self.table, self.file, value, filing_id, member_no)
        return code

    def prefix_code(self, text: str, filing_id: str) -> str:
        """The code of the longest key ``text`` starts with (方書 = building + room)."""
        keys = [k for k in self.codes if k and text.startswith(k)]
        if not keys:
            raise UnmappedValueError(self.table, self.file, text, filing_id, None)
        return self.codes[max(keys, key=len)]


@dataclass(frozen=True, slots=True)
class WardMapping:
    """All code tables of one ward."""

    relationship: RelationshipCodes
    reason: CodeTable
    country: CodeTable
    status: CodeTable
    machiaza: CodeTable
    katagaki: CodeTable


def _read_table(folder: Path, file: str) -> tuple[str, dict[str, str]]:
    path = folder / file
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_MAPPING_BYTES + 1)
    except FileNotFoundError:
        raise MappingFileError(str(path), "missing") from None
    except OSError as err:
        raise MappingFileError(str(path), err.strerror or "unreadable") from None
    if len(data) > MAX_MAPPING_BYTES:
        raise MappingFileError(str(path), f"larger than {MAX_MAPPING_BYTES} bytes")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise MappingFileError(str(path), f"not UTF-8 JSON ({err})") from None
    codes = raw.get("codes") if isinstance(raw, dict) else None
    if not isinstance(codes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in codes.items()
    ):
        raise MappingFileError(str(path), 'expected {"name": …, "codes": {"value": "code"}}')
    return str(raw.get("name", "")), dict(codes)


def _table(folder: Path, table: str, file: str) -> CodeTable:
    name, codes = _read_table(folder, file)
    return CodeTable(table=table, file=file, name=name, codes=codes)


def load_mapping(
    folder: Path, fallback_relationship: RelationshipCodes | None = None
) -> WardMapping:
    """Read a ward's mapping directory.

    ``relationship_codes.json`` may be left out when ``fallback_relationship`` is given (the
    intake's current master set table); every other file is required.
    """
    if not folder.is_dir():
        raise MappingFileError(str(folder), "not a directory")
    if (folder / RELATIONSHIP_FILE).exists() or fallback_relationship is None:
        name, codes = _read_table(folder, RELATIONSHIP_FILE)
        try:
            relationship = RelationshipCodes(name=name, codes=codes)
        except ValueError as err:
            raise MappingFileError(str(folder / RELATIONSHIP_FILE), str(err)) from None
    else:
        relationship = fallback_relationship
    return WardMapping(
        relationship=relationship,
        reason=_table(folder, TABLE_REASON, REASON_FILE),
        country=_table(folder, TABLE_COUNTRY, COUNTRY_FILE),
        status=_table(folder, TABLE_STATUS, STATUS_FILE),
        machiaza=_table(folder, TABLE_MACHIAZA, MACHIAZA_FILE),
        katagaki=_table(folder, TABLE_KATAGAKI, KATAGAKI_FILE),
    )
