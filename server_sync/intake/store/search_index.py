"""What the console searches by (names kana-folded, birth dates, 受付番号), paged search, 保留.

The values are computed from the filing JSON when a filing is stored (``index_params``, added to
every insert) and, for rows stored before migration 0500, by :func:`backfill` on first search.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, text

from server_sync.intake.clock import stamp
from server_sync.intake.records import Filing, FilingStatus
from server_sync.intake.store.audit import write_audit
from server_sync.intake.store.filings import _COLUMNS, _bound, _filing
from server_sync.intake.store.search_keys import NAME_SEPARATOR, fold, index_params

BACKFILL_BATCH = 500
PAGE_SIZE_MAX = 200
#: LIKE wildcards escaped with this character
_LIKE_ESCAPE = "!"


def backfill(engine: Engine) -> int:
    """Index rows stored before migration 0500 (a batch at a time); returns how many."""
    done = 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT kiosk_id, filing_id, filing_json FROM filings"
                    " WHERE member_count IS NULL LIMIT :n"
                ),
                {"n": BACKFILL_BATCH},
            ).all()
            for r in rows:
                conn.execute(
                    text(
                        "UPDATE filings SET search_names = :search_names,"
                        " birth_dates = :birth_dates, receipt_no = :receipt_no,"
                        " member_count = :member_count WHERE kiosk_id = :k AND filing_id = :f"
                    ),
                    {**index_params(r.filing_id, r.filing_json), "k": r.kiosk_id, "f": r.filing_id},
                )
        done += len(rows)
        if len(rows) < BACKFILL_BATCH:
            return done


#: pseudo-status of the search form: received and on hold
HELD = "held"


@dataclass(frozen=True, slots=True)
class Query:
    """Console search criteria (all optional); times are stored-format UTC bounds."""

    name: str = ""
    receipt_no: str = ""
    birth_date: str = ""
    kiosk_id: str | None = None
    status: str = ""  # a FilingStatus value, HELD, or "" for any
    received_from: str | None = None
    received_to: str | None = None
    today_from: str | None = None  # received at/after this first (today's work first)
    page: int = 1
    page_size: int = 50


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: the filing plus what the list shows beside it."""

    filing: Filing
    receipt_no: str
    member_count: int
    held_note: str | None


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results and the total number of matches."""

    hits: list[Hit]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least 1)."""
        return max(1, -(-self.total // self.page_size))


def _like(value: str) -> str:
    escaped = value.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
    return escaped.replace("%", _LIKE_ESCAPE + "%").replace("_", _LIKE_ESCAPE + "_")


def _where(q: Query) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if q.name and fold(q.name):
        clauses.append(f"search_names LIKE :name ESCAPE '{_LIKE_ESCAPE}'")
        params["name"] = "%" + _like(fold(q.name)) + "%"
    if q.receipt_no:
        clauses.append("receipt_no = :rn")
        params["rn"] = q.receipt_no
    if q.birth_date:
        clauses.append("birth_dates LIKE :bd")
        params["bd"] = f"%{NAME_SEPARATOR}{q.birth_date}{NAME_SEPARATOR}%"
    if q.kiosk_id is not None:
        clauses.append("kiosk_id = :k")
        params["k"] = q.kiosk_id
    if q.status == HELD:
        clauses.append("status = :s AND held_note IS NOT NULL")
        params["s"] = FilingStatus.RECEIVED.value
    elif q.status:
        clauses.append("status = :s")
        params["s"] = FilingStatus(q.status).value
    for key, bound, op in (("rf", q.received_from, ">="), ("rt", q.received_to, "<")):
        parsed = _bound(bound, key)
        if parsed is not None:
            clauses.append(f"received_at {op} :{key}")
            params[key] = parsed
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search_page(engine: Engine, q: Query) -> Page:
    """One page of matches (today's first when ``today_from`` is set, then newest first)."""
    backfill(engine)
    where, params = _where(q)
    size = max(1, min(q.page_size, PAGE_SIZE_MAX))
    page = max(1, q.page)
    order = "received_at DESC, kiosk_id, filing_id"
    if q.today_from is not None:
        order = "CASE WHEN received_at >= :today THEN 0 ELSE 1 END, " + order
        params["today"] = _bound(q.today_from, "today_from")
    sql = (
        f"SELECT {_COLUMNS}, receipt_no, member_count, held_note FROM filings{where}"  # noqa: S608
        f" ORDER BY {order} LIMIT :lim OFFSET :off"
    )
    with engine.connect() as conn:
        total = int(conn.execute(text(f"SELECT COUNT(*) FROM filings{where}"), params).scalar_one())  # noqa: S608
        rows = conn.execute(text(sql), {**params, "lim": size, "off": (page - 1) * size}).all()
    hits = [
        Hit(_filing(r), r.receipt_no or "", int(r.member_count or 0), r.held_note) for r in rows
    ]
    return Page(hits, total, page, size)


def keys_by_receipt(engine: Engine, receipt_no: str) -> list[tuple[str, str]]:
    """(kiosk_id, filing_id) of the filings with this 受付番号."""
    backfill(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT kiosk_id, filing_id FROM filings WHERE receipt_no = :r"), {"r": receipt_no}
        ).all()
    return [(str(r.kiosk_id), str(r.filing_id)) for r in rows]


def hold_of(engine: Engine, filing_id: str, kiosk_id: str) -> tuple[str, str, str] | None:
    """(note, by, at) if the filing is on hold (保留), else None."""
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT held_note, held_by, held_at FROM filings"
                " WHERE filing_id = :f AND kiosk_id = :k"
            ),
            {"f": filing_id, "k": kiosk_id},
        ).first()
    if row is None or row.held_note is None:
        return None
    return str(row.held_note), str(row.held_by or ""), str(row.held_at or "")


def set_hold(
    engine: Engine,
    filing_id: str,
    kiosk_id: str,
    *,
    note: str | None,
    actor: str,
    now: datetime,
) -> bool:
    """Put a 受付 filing on hold with a note (``note`` None: release the hold); audited."""
    with engine.begin() as conn:
        changed = conn.execute(
            text(
                "UPDATE filings SET held_note = :n, held_by = :by, held_at = :at"
                " WHERE filing_id = :f AND kiosk_id = :k AND status = :s"
            ),
            {
                "n": note,
                "by": actor if note is not None else None,
                "at": stamp(now) if note is not None else None,
                "f": filing_id,
                "k": kiosk_id,
                "s": FilingStatus.RECEIVED.value,
            },
        )
        if changed.rowcount != 1:
            return False
        write_audit(
            conn,
            actor=actor,
            action="filing.held" if note is not None else "filing.unheld",
            subject_type="filing",
            subject_id=filing_id,
            detail={"kiosk_id": kiosk_id, "note": note},
        )
    return True


def clear_hold(engine: Engine, filing_id: str, kiosk_id: str) -> None:
    """Forget the hold of a decided filing (no audit: the decision is audited)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE filings SET held_note = NULL, held_by = NULL, held_at = NULL"
                " WHERE filing_id = :f AND kiosk_id = :k"
            ),
            {"f": filing_id, "k": kiosk_id},
        )
