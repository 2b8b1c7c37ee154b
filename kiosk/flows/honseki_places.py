"""The 本籍 picker's list: every 市区町村 by 都道府県 with its reading (全国地方公共団体コード).

Read once from ``kiosk/forms/data/municipalities.csv`` (source and date in its README); the
picker filters a prefecture's places by the kana row of their reading, like the address picker.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kiosk.flows.address_picker import KANA_ROWS

#: the data file under ``kiosk.forms.data``
DATA_FILE = "municipalities.csv"
#: a prefecture with at most this many places shows them all at once (no kana row needed)
ONE_SCREEN = 24
#: small kana and long marks fold to the row of their base sound
_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")


@dataclass(frozen=True, slots=True)
class Place:
    """One 市区町村 (a 政令指定都市 by ward): the 団体コード, its name and reading."""

    code: str
    prefecture: str
    name: str
    kana: str

    @property
    def row(self) -> str:
        """The kana row of the reading's first sound (``サ`` for サッポロシ)."""
        first = self.kana[:1].translate(_SMALL)
        return next((row for row, members in KANA_ROWS.items() if first in members), "")


@cache
def all_places() -> tuple[Place, ...]:
    """Every place of the list, in 団体コード order."""
    text = resources.files("kiosk.forms.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(
        Place(r["code"], r["prefecture"], r["name"], r["kana"]) for r in csv.DictReader(lines)
    )


def places(prefecture: str, row: str = "") -> list[Place]:
    """The places of ``prefecture`` (in the order of their reading), of kana ``row`` if given."""
    found = [p for p in all_places() if p.prefecture == prefecture and (not row or p.row == row)]
    return sorted(found, key=lambda p: p.kana)


def rows_of(prefecture: str) -> list[str]:
    """The kana rows that have at least one place of ``prefecture`` (the index shows only these)."""
    used = {p.row for p in places(prefecture)}
    return [row for row in KANA_ROWS if row in used]
