"""Writing a CSV document in utf-8, utf-8-sig (BOM, for Excel) or cp932, with a loss report.

cp932 cannot hold every character of a 住民票 name (𠮷, IVS, 外字): :func:`encode_csv` lists each
character it cannot represent (row, column, character, code point) and, only when loss is
allowed, writes 〓 (geta, the usual 外字 placeholder) in its place.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from enum import StrEnum

from server_sync.intake.csv_safe import write_csv


class Encoding(StrEnum):
    UTF8 = "utf-8"
    UTF8_SIG = "utf-8-sig"
    CP932 = "cp932"


SUBSTITUTE = "〓"
SUBSTITUTE_HANDLER = "kihon-geta"  # codec error handler: 〓 for every character not encodable
LOSS_REPORT_COLUMNS = ("行", "列", "文字", "コードポイント")


@dataclass(frozen=True, slots=True)
class Loss:
    """One character the encoding cannot represent: 1-based CSV row (header = 1) and column name."""

    row: int
    column: str
    char: str

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"


def find_losses(text: str, encoding: Encoding) -> list[Loss]:
    """Every character of a CSV document ``encoding`` cannot hold, cell by cell."""
    if encoding is not Encoding.CP932:
        return []
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0] if rows else []
    losses = []
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if _encodes(cell, encoding):
                continue
            for ch in cell:
                try:
                    ch.encode(encoding.value)
                except UnicodeEncodeError:
                    losses.append(Loss(r, header[c] if c < len(header) else str(c + 1), ch))
    return losses


def _encodes(text: str, encoding: Encoding) -> bool:
    try:
        text.encode(encoding.value)
    except UnicodeEncodeError:
        return False
    return True


def loss_report(losses: list[Loss]) -> str:
    """The loss report as CSV text (one line per lost character)."""
    return write_csv(
        LOSS_REPORT_COLUMNS, ([str(x.row), x.column, x.char, x.code_point] for x in losses)
    )


def encode_text(text: str, encoding: Encoding) -> bytes:
    """The document's bytes; cp932 substitutes 〓 for what it cannot hold (check losses first)."""
    return text.encode(encoding.value, errors=SUBSTITUTE_HANDLER)


def _substitute(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeEncodeError):
        raise err
    return SUBSTITUTE * (err.end - err.start), err.end


codecs.register_error(SUBSTITUTE_HANDLER, _substitute)
