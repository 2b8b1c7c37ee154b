"""UTC time helpers for stored timestamps (fixed-width RFC 3339 text)."""

from __future__ import annotations

from datetime import UTC, datetime

PRECISE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
SECONDS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """Microsecond RFC 3339 UTC text, e.g. 2026-11-27T10:00:00.123456Z (sorts as time).

    Same text as ``strftime(PRECISE_FORMAT)`` for years 1000–9999, at a fraction of its cost
    (several stamps per filing POST).
    """
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def stamp_seconds(moment: datetime) -> str:
    """Second-precision RFC 3339 UTC text, e.g. 2026-11-27T10:00:00Z."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def parse_bound(value: str) -> str:
    """An RFC 3339 time (any precision, ``Z`` or offset) re-stamped for comparison with stored text.

    Raises ``ValueError`` for anything else (callers turn it into a typed error).
    """
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("time must carry Z or an offset")
    return stamp(moment)
