"""和暦: 元号 code and 「昭和60年4月1日」 notation of a 西暦 date (日本人 dates are 和暦 in 住記).

Codes 1 明治 … 5 令和 are the de-facto numbering seen in 住記 exports ([2nd], not an official
table: docs/export-format.md). A change-over day (e.g. 1989-01-08) belongs to the new era; the
standard also lets the 住記 keep 明治45.7.30 / 大正15.12.25, which a 西暦 date cannot tell apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Era:
    code: str
    name: str
    starts: date


#: newest first
ERAS: tuple[Era, ...] = (
    Era("5", "令和", date(2019, 5, 1)),
    Era("4", "平成", date(1989, 1, 8)),
    Era("3", "昭和", date(1926, 12, 25)),
    Era("2", "大正", date(1912, 7, 30)),
    Era("1", "明治", date(1868, 1, 25)),
)
FIRST_YEAR = "元"


def era_of(day: date) -> Era | None:
    """The era a date falls in (None before 明治)."""
    return next((era for era in ERAS if day >= era.starts), None)


def wareki(day: date) -> str:
    """``date(1985, 4, 1)`` → ``"昭和60年4月1日"``; year 1 is 元年; before 明治: ISO."""
    era = era_of(day)
    if era is None:
        return day.isoformat()
    year = day.year - era.starts.year + 1
    shown = FIRST_YEAR if year == 1 else str(year)
    return f"{era.name}{shown}年{day.month}月{day.day}日"
