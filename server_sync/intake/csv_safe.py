"""CSV cells a spreadsheet cannot run as formulas (OWASP "CSV Injection" guidance).

Every CSV the intake writes (console export, CLI export, every profile) passes its cells through
`safe_cell`: a cell that starts with a character a spreadsheet reads as the start of a formula or
of a DDE call gets a leading apostrophe, which Excel and LibreOffice show as text and do not print.
The full-width forms are included because Japanese Excel turns them into their ASCII forms when it
reads a cell. Quoting alone does not help: spreadsheets evaluate quoted cells as well.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
"""First characters that make a spreadsheet read a cell as a formula (or split it)."""

NEUTRALISER = "'"


def safe_cell(value: object) -> str:
    """The cell's text, with an apostrophe in front when it could be read as a formula."""
    text = "" if value is None else str(value)
    if text and text[0] in FORMULA_STARTS:
        return NEUTRALISER + text
    return text


def safe_row(row: Iterable[object]) -> list[str]:
    return [safe_cell(cell) for cell in row]


def write_csv(header: Sequence[str], rows: Iterable[Iterable[object]]) -> str:
    """A whole CSV document (CRLF line ends, minimal quoting) with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue()
