"""A small stdlib-only ``.po`` reader and ``.mo`` writer (what msgfmt does, for our catalogs)."""

from __future__ import annotations

import ast
import struct
from dataclasses import dataclass
from pathlib import Path

MO_MAGIC = 0x950412DE
_HEADER_SIZE = 28
#: gettext reads the charset from the header entry; without one it assumes ASCII
DEFAULT_HEADER = "Content-Type: text/plain; charset=UTF-8\n"


class PoSyntaxError(ValueError):
    """A ``.po`` file we cannot read; carries the path and line."""

    code = "po_syntax"

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class Entry:
    """One message: id, translation, fuzzy flag."""

    msgid: str
    msgstr: str
    fuzzy: bool = False


def _unquote(text: str, path: str, line: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise PoSyntaxError(path, line, "expected a quoted string")
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError) as err:
        raise PoSyntaxError(path, line, "bad string escape") from err
    if not isinstance(value, str):
        raise PoSyntaxError(path, line, "expected a string")
    return value


def parse_po(text: str, path: str = "<po>") -> list[Entry]:
    """Entries of a ``.po`` file (singular messages only, which is all the kiosk uses)."""
    entries: list[Entry] = []
    msgid: str | None = None
    msgstr: str | None = None
    target = ""
    fuzzy = False

    def flush() -> None:
        nonlocal msgid, msgstr, fuzzy
        if msgid is not None and msgstr is not None:
            entries.append(Entry(msgid, msgstr, fuzzy))
        msgid, msgstr, fuzzy = None, None, False

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgid "):
            if msgstr is not None:
                flush()
            msgid, target = _unquote(line[6:], path, number), "id"
        elif line.startswith("msgstr "):
            msgstr, target = _unquote(line[7:], path, number), "str"
        elif line.startswith('"'):
            piece = _unquote(line, path, number)
            if target == "id" and msgid is not None:
                msgid += piece
            elif target == "str" and msgstr is not None:
                msgstr += piece
            else:
                raise PoSyntaxError(path, number, "continuation without msgid/msgstr")
        else:
            raise PoSyntaxError(path, number, "unknown line")
    flush()
    return entries


def compile_mo(entries: list[Entry]) -> bytes:
    """GNU ``.mo`` bytes for the non-fuzzy, translated entries (plus the header entry)."""
    if not any(e.msgid == "" for e in entries):
        entries = [Entry("", DEFAULT_HEADER), *entries]
    usable = sorted(
        ((e.msgid, e.msgstr) for e in entries if e.msgstr and not e.fuzzy),
        key=lambda pair: pair[0].encode("utf-8"),
    )
    ids = [m.encode("utf-8") for m, _ in usable]
    strs = [s.encode("utf-8") for _, s in usable]
    count = len(usable)
    ids_offset = _HEADER_SIZE
    strs_offset = ids_offset + 8 * count
    data_offset = strs_offset + 8 * count
    id_table, str_table, blob = [], [], b""
    for item in ids:
        id_table.append((len(item), data_offset + len(blob)))
        blob += item + b"\0"
    for item in strs:
        str_table.append((len(item), data_offset + len(blob)))
        blob += item + b"\0"
    header = struct.pack("<7I", MO_MAGIC, 0, count, ids_offset, strs_offset, 0, 0)
    tables = b"".join(struct.pack("<2I", *p) for p in id_table + str_table)
    return header + tables + blob


def read_po(path: Path) -> list[Entry]:
    """Parse a ``.po`` file from disk."""
    return parse_po(path.read_text(encoding="utf-8"), str(path))
