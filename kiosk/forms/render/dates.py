"""Date formats for the form: 和暦 with the Western date beside it."""

from __future__ import annotations

from datetime import date

#: (first day, era name), newest first
ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1873, 1, 1), "明治"),  # Gregorian calendar adopted in Meiji 6
)


def wareki(d: date) -> str:
    """``令和7年11月27日`` (year 1 is 元年); dates before 1873 in Western form only."""
    for start, era in ERAS:
        if d >= start:
            year = d.year - start.year + 1
            if era == "明治":
                year = d.year - 1868 + 1
            shown = "元" if year == 1 else str(year)
            return f"{era}{shown}年{d.month}月{d.day}日"
    return western(d)


def western(d: date) -> str:
    """``2025-11-27``."""
    return d.isoformat()


def both(d: date) -> str:
    """``令和7年11月27日 (2025-11-27)``."""
    return f"{wareki(d)} ({western(d)})"
