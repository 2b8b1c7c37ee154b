"""Filings: insert with idempotency, lookup, search, review decisions, paper filings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, bindparam, text
from sqlalchemy.exc import IntegrityError

from server_sync.intake.clock import parse_bound, stamp
from server_sync.intake.errors import (
    BadQueryError,
    IdempotencyConflictError,
    InvalidTransitionError,
    NotFoundError,
)
from server_sync.intake.records import (
    Filing,
    FilingSource,
    FilingStatus,
    PostResult,
    ResidentBindingState,
)
from server_sync.intake.store.audit import audit_row, write_audit, write_audit_rows
from server_sync.intake.store.search_keys import index_params

SEARCH_LIMIT_MAX = 1000
_COLUMNS = (
    "filing_id, kiosk_id, received_at, created_at, envelope, filing_json, filing_sha256,"
    " kiosk_signature_ok, resident_binding, resident_cert_serial, status, reject_reason,"
    " decided_at, decided_by, source, resident_cert_issuer, resident_cert_not_after"
)
#: allowed review transitions (from → to)
TRANSITIONS: frozenset[tuple[FilingStatus, FilingStatus]] = frozenset(
    {
        (FilingStatus.RECEIVED, FilingStatus.ACCEPTED),
        (FilingStatus.RECEIVED, FilingStatus.REJECTED),
    }
)

#: decided filings a supervisor may put back to 仮登録
REOPENABLE = frozenset({FilingStatus.ACCEPTED, FilingStatus.REJECTED})


@dataclass(frozen=True, slots=True)
class FilingSearch:
    """Search criteria (all optional; times are RFC 3339 with Z or offset, any precision)."""

    received_from: str | None = None
    received_to: str | None = None
    kiosk_id: str | None = None
    status: FilingStatus | None = None
    limit: int = 200


def _filing(row: Row[Any]) -> Filing:
    """A stored row as a Filing, read by column name (never by position)."""
    col = row._mapping
    return Filing(
        filing_id=col["filing_id"],
        kiosk_id=col["kiosk_id"],
        received_at=col["received_at"],
        created_at=col["created_at"],
        envelope=col["envelope"],
        filing_json=col["filing_json"],
        filing_sha256=col["filing_sha256"],
        kiosk_signature_ok=bool(col["kiosk_signature_ok"]),
        resident_binding=ResidentBindingState(col["resident_binding"]),
        resident_cert_serial=col["resident_cert_serial"],
        status=FilingStatus(col["status"]),
        reject_reason=col["reject_reason"],
        decided_at=col["decided_at"],
        decided_by=col["decided_by"],
        source=FilingSource(col["source"]),
        resident_cert_issuer=col["resident_cert_issuer"],
        resident_cert_not_after=col["resident_cert_not_after"],
    )


def _get(conn: Connection, filing_id: str, kiosk_id: str | None = None) -> Filing | None:
    if kiosk_id is None:  # the earliest of this id (ids are unique per kiosk only)
        sql = f"SELECT {_COLUMNS} FROM filings WHERE filing_id = :f ORDER BY received_at, kiosk_id"  # noqa: S608
    else:
        sql = f"SELECT {_COLUMNS} FROM filings WHERE filing_id = :f AND kiosk_id = :k"  # noqa: S608
    row = conn.execute(text(sql), {"f": filing_id, "k": kiosk_id}).first()
    return None if row is None else _filing(row)


def get_filing(engine: Engine, filing_id: str, kiosk_id: str | None = None) -> Filing | None:
    """The filing of this kiosk with this id (without a kiosk: the earliest of the id), or None.

    Idempotency is per kiosk: two kiosks may hold the same filing id (one of them squatting).
    """
    with engine.connect() as conn:
        return _get(conn, filing_id, kiosk_id)


#: what the console searches by (migration 0500), computed from the JSON at insert time
_SEARCH_COLUMNS = "search_names, birth_dates, receipt_no, member_count"
#: named parameters (``:name``): SQLAlchemy's text() and the sqlite3 driver both take them
INSERT_FILING_SQL = (
    f"INSERT INTO filings ({_COLUMNS}, {_SEARCH_COLUMNS}) VALUES (:filing_id, :kiosk_id,"  # noqa: S608
    " :received_at, :created_at, :envelope, :filing_json, :filing_sha256, :kiosk_signature_ok,"
    " :resident_binding, :resident_cert_serial, :status, :reject_reason, :decided_at,"
    " :decided_by, :source, :resident_cert_issuer, :resident_cert_not_after, :search_names,"
    " :birth_dates, :receipt_no, :member_count)"
)
_INSERT_FILING = text(INSERT_FILING_SQL)
_STORED_DIGESTS = text(
    "SELECT kiosk_id, filing_id, filing_sha256 FROM filings WHERE filing_id IN :ids"
).bindparams(bindparam("ids", expanding=True))
FilingKey = tuple[str, str]
"""(kiosk_id, filing_id): what idempotency is scoped by."""


def filing_key(filing: Filing) -> FilingKey:
    """The idempotency key of a filing: its kiosk and its id."""
    return (filing.kiosk_id or "", filing.filing_id)


#: search keys per filing, when the caller computed them from the filing it parsed (intake POST)
SearchKeys = dict[FilingKey, dict[str, Any]]


def row_params(filing: Filing, keys: SearchKeys | None = None) -> dict[str, Any]:
    """The named parameters of :data:`INSERT_FILING_SQL` for ``filing``.

    The search keys come from ``keys`` when given there (no second parse of the filing JSON).
    """
    known = keys.get(filing_key(filing)) if keys else None
    return {
        "filing_id": filing.filing_id,
        "kiosk_id": filing.kiosk_id or "",
        "received_at": filing.received_at,
        "created_at": filing.created_at,
        "envelope": filing.envelope,
        "filing_json": filing.filing_json,
        "filing_sha256": filing.filing_sha256,
        "kiosk_signature_ok": int(filing.kiosk_signature_ok),
        "resident_binding": filing.resident_binding.value,
        "resident_cert_serial": filing.resident_cert_serial,
        "status": filing.status.value,
        "reject_reason": filing.reject_reason,
        "decided_at": filing.decided_at,
        "decided_by": filing.decided_by,
        "source": filing.source.value,
        "resident_cert_issuer": filing.resident_cert_issuer,
        "resident_cert_not_after": filing.resident_cert_not_after,
        **(known if known is not None else index_params(filing.filing_id, filing.filing_json)),
    }


def received_audit(filing: Filing, actor: str) -> dict[str, str]:
    """The audit row of a stored filing (``filing.received``; no personal data)."""
    return audit_row(
        actor=actor,
        action="filing.received",
        subject_type="filing",
        subject_id=filing.filing_id,
        detail={
            "source": filing.source.value,
            "kiosk_id": filing.kiosk_id,
            "resident_binding": filing.resident_binding.value,
            "status": filing.status.value,
        },
    )


def _insert(conn: Connection, filing: Filing, actor: str) -> None:
    conn.execute(_INSERT_FILING, row_params(filing))
    write_audit_rows(conn, [received_audit(filing, actor)])


def stored_digests(conn: Connection, keys: Sequence[FilingKey]) -> dict[FilingKey, str]:
    """(kiosk_id, filing_id) → filing_sha256 for those of ``keys`` already stored (one query)."""
    if not keys:
        return {}
    wanted = set(keys)
    rows = conn.execute(_STORED_DIGESTS, {"ids": sorted({fid for _, fid in keys})}).all()
    found = {(str(r.kiosk_id), str(r.filing_id)): str(r.filing_sha256) for r in rows}
    return {key: digest for key, digest in found.items() if key in wanted}


def insert_posted_batch(
    conn: Connection, filings: Sequence[Filing], keys: SearchKeys | None = None
) -> list[PostResult | Exception]:
    """Store posted filings in the caller's transaction; one outcome (or 409 error) each.

    One lookup for the whole batch, then one multi-row insert for the filings and one for their
    audit rows. A key repeated inside the batch is answered like a stored one.
    """
    outcomes, new = plan_batch(filings, stored_digests(conn, [filing_key(f) for f in filings]))
    if new:
        conn.execute(_INSERT_FILING, [row_params(f, keys) for f in new])
        write_audit_rows(conn, [received_audit(f, f"kiosk:{f.kiosk_id}") for f in new])
    return outcomes


def plan_batch(
    filings: Sequence[Filing], known: dict[FilingKey, str]
) -> tuple[list[PostResult | Exception], list[Filing]]:
    """(outcome per filing, filings to insert) given the stored digests of their keys."""
    known = dict(known)
    outcomes: list[PostResult | Exception] = []
    new: list[Filing] = []
    for filing in filings:
        digest = known.get(filing_key(filing))
        if digest is None:
            known[filing_key(filing)] = filing.filing_sha256
            new.append(filing)
            outcomes.append(PostResult.ACCEPTED)
        elif digest == filing.filing_sha256:
            outcomes.append(PostResult.DUPLICATE)
        else:
            outcomes.append(
                IdempotencyConflictError(
                    "this idempotency key was already used for a filing with different content"
                )
            )
    return outcomes, new


def get_filing_on(conn: Connection, filing_id: str, kiosk_id: str | None = None) -> Filing | None:
    """The filing with this id (of this kiosk), read inside the caller's transaction."""
    return _get(conn, filing_id, kiosk_id)


def insert_filing_on(conn: Connection, filing: Filing) -> None:
    """Insert a posted filing and its audit row inside the caller's transaction."""
    _insert(conn, filing, actor=f"kiosk:{filing.kiosk_id}")


def existing_outcome(existing: Filing, filing_sha256: str) -> PostResult:
    """DUPLICATE for the same digest; IdempotencyConflictError (409) for another."""
    if existing.filing_sha256 != filing_sha256:
        raise IdempotencyConflictError(
            "this idempotency key was already used for a filing with different content"
        )
    return PostResult.DUPLICATE


def digest_outcome(stored_sha256: str | None, filing_sha256: str) -> PostResult | None:
    """None for an unknown key, DUPLICATE for the same digest, else IdempotencyConflictError."""
    if stored_sha256 is None:
        return None
    if stored_sha256 != filing_sha256:
        raise IdempotencyConflictError(
            "this idempotency key was already used for a filing with different content"
        )
    return PostResult.DUPLICATE


def known_outcome(
    engine: Engine, filing_id: str, filing_sha256: str, kiosk_id: str = ""
) -> PostResult | None:
    """DUPLICATE if this key is stored with the same digest, None if unknown; 409 otherwise."""
    key = (kiosk_id, filing_id)
    with engine.connect() as conn:
        digest = stored_digests(conn, [key]).get(key)
    return digest_outcome(digest, filing_sha256)


def insert_posted_filing(engine: Engine, filing: Filing) -> PostResult:
    """Store a verified posted filing; same key + same digest → DUPLICATE, else 409 conflict."""
    kiosk = filing.kiosk_id or ""
    existing = get_filing(engine, filing.filing_id, kiosk)
    if existing is not None:
        return existing_outcome(existing, filing.filing_sha256)
    try:
        with engine.begin() as conn:
            existing = _get(conn, filing.filing_id, kiosk)
            if existing is not None:
                return existing_outcome(existing, filing.filing_sha256)
            insert_filing_on(conn, filing)
    except IntegrityError:
        # a concurrent request with the same key won the race
        existing = get_filing(engine, filing.filing_id, kiosk)
        if existing is None:
            raise
        return existing_outcome(existing, filing.filing_sha256)
    return PostResult.ACCEPTED


def record_paper_filing(
    engine: Engine,
    *,
    filing_id: str,
    filing_json: str,
    filing_sha256: str,
    kiosk_id: str | None,
    created_at: str,
    kiosk_signature_ok: bool,
    now: datetime,
    actor: str,
) -> tuple[Filing, bool]:
    """Store a filing known only from the printed barcode; returns (filing, newly_created)."""
    with engine.begin() as conn:
        existing = _get(conn, filing_id, kiosk_id or "")
        if existing is not None:
            return existing, False
        filing = Filing(
            filing_id=filing_id,
            kiosk_id=kiosk_id,
            received_at=stamp(now),
            created_at=created_at,
            envelope=None,
            filing_json=filing_json,
            filing_sha256=filing_sha256,
            kiosk_signature_ok=kiosk_signature_ok,
            resident_binding=ResidentBindingState.ABSENT,
            resident_cert_serial=None,
            status=FilingStatus.RECEIVED,
            reject_reason=None,
            decided_at=None,
            decided_by=None,
            source=FilingSource.PAPER,
        )
        _insert(conn, filing, actor=actor)
    return filing, True


def set_filing_status(
    engine: Engine,
    filing_id: str,
    status: FilingStatus,
    *,
    actor: str,
    reason: str | None,
    now: datetime,
    kiosk_id: str | None = None,
    session_mark: str | None = None,
) -> Filing:
    """Record a review decision (received → accepted | rejected) with its audit row.

    ``session_mark`` (the console's non-secret mark of the login session) goes into the audit
    detail: the clerk may undo the decision in the same session until it is exported.
    """
    with engine.begin() as conn:
        current = _get(conn, filing_id, kiosk_id)
        if current is None:
            raise NotFoundError(f"no filing {filing_id}")
        if (current.status, status) not in TRANSITIONS:
            raise InvalidTransitionError(
                f"a {current.status.value} filing cannot become {status.value}"
            )
        changed = conn.execute(
            text(
                "UPDATE filings SET status = :s, reject_reason = :r, decided_at = :now,"
                " decided_by = :by WHERE filing_id = :f AND kiosk_id = :k AND status = :old"
            ),
            {
                "s": status.value,
                "r": reason if status is FilingStatus.REJECTED else None,
                "now": stamp(now),
                "by": actor,
                "f": filing_id,
                "k": current.kiosk_id or "",
                "old": current.status.value,
            },
        )
        if changed.rowcount != 1:
            raise InvalidTransitionError("the filing changed while being decided")
        write_audit(
            conn,
            actor=actor,
            action=f"filing.{status.value}",
            subject_type="filing",
            subject_id=filing_id,
            detail={
                "from": current.status.value,
                "to": status.value,
                "reason": reason,
                "kiosk_id": current.kiosk_id,
                **({"session": session_mark} if session_mark else {}),
            },
        )
        updated = _get(conn, filing_id, current.kiosk_id or "")
    if updated is None:  # pragma: no cover - read in the same transaction
        raise NotFoundError(f"no filing {filing_id}")
    return updated


def _bound(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return parse_bound(value)
    except ValueError as err:
        raise BadQueryError(f"{name} must be an RFC 3339 time with Z or an offset") from err


def search_filings(engine: Engine, criteria: FilingSearch) -> list[Filing]:
    """Filings matching the criteria, newest first (at most ``limit``, capped at 1000)."""
    clauses: list[str] = []
    params: dict[str, Any] = {"lim": max(1, min(criteria.limit, SEARCH_LIMIT_MAX))}
    received_from = _bound(criteria.received_from, "received_from")
    received_to = _bound(criteria.received_to, "received_to")
    if received_from is not None:
        clauses.append("received_at >= :rf")
        params["rf"] = received_from
    if received_to is not None:
        clauses.append("received_at < :rt")
        params["rt"] = received_to
    if criteria.kiosk_id is not None:
        clauses.append("kiosk_id = :k")
        params["k"] = criteria.kiosk_id
    if criteria.status is not None:
        clauses.append("status = :s")
        params["s"] = criteria.status.value
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = f"SELECT {_COLUMNS} FROM filings{where} ORDER BY received_at DESC, filing_id LIMIT :lim"  # noqa: S608
    with engine.connect() as conn:
        return [_filing(row) for row in conn.execute(text(sql), params).all()]


def list_accepted_filings(
    engine: Engine, *, decided_from: str | None = None, decided_to: str | None = None
) -> list[Filing]:
    """Accepted (本登録) filings in decision order, for the resident-system export."""
    clauses = ["status = :s"]
    params: dict[str, Any] = {"s": FilingStatus.ACCEPTED.value}
    lower, upper = _bound(decided_from, "accepted_from"), _bound(decided_to, "accepted_to")
    if lower is not None:
        clauses.append("decided_at >= :df")
        params["df"] = lower
    if upper is not None:
        clauses.append("decided_at < :dt")
        params["dt"] = upper
    sql = (
        f"SELECT {_COLUMNS} FROM filings WHERE {' AND '.join(clauses)}"  # noqa: S608
        " ORDER BY decided_at, filing_id"
    )
    with engine.connect() as conn:
        return [_filing(row) for row in conn.execute(text(sql), params).all()]


def reopen_filing(
    engine: Engine, filing_id: str, *, actor: str, now: datetime, kiosk_id: str | None = None
) -> Filing:
    """Put a decided filing back to 仮登録 (a supervisor's correction), with its audit row."""
    with engine.begin() as conn:
        current = _get(conn, filing_id, kiosk_id)
        if current is None:
            raise NotFoundError(f"no filing {filing_id}")
        if current.status not in REOPENABLE:
            raise InvalidTransitionError(f"a {current.status.value} filing cannot be reopened")
        changed = conn.execute(
            text(
                "UPDATE filings SET status = :s, reject_reason = NULL, decided_at = NULL,"
                " decided_by = NULL WHERE filing_id = :f AND kiosk_id = :k AND status = :old"
            ),
            {
                "s": FilingStatus.RECEIVED.value,
                "f": filing_id,
                "k": current.kiosk_id or "",
                "old": current.status.value,
            },
        )
        if changed.rowcount != 1:
            raise InvalidTransitionError("the filing changed while being reopened")
        write_audit(
            conn,
            actor=actor,
            action="filing.reopened",
            subject_type="filing",
            subject_id=filing_id,
            detail={"from": current.status.value, "at": stamp(now), "kiosk_id": current.kiosk_id},
        )
        updated = _get(conn, filing_id, current.kiosk_id or "")
    if updated is None:  # pragma: no cover - read in the same transaction
        raise NotFoundError(f"no filing {filing_id}")
    return updated
