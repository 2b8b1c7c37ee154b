"""The audit log: one row per state change, written in the same transaction as the change."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, text

from server_sync.ids import new_uuid7
from server_sync.intake.clock import stamp, utc_now
from server_sync.intake.records import AuditEntry

DetailValue = str | int | bool | None


#: named parameters, filled by :func:`audit_row`
INSERT_AUDIT_SQL = (
    "INSERT INTO audit_log (audit_id, at, actor, action, subject_type, subject_id, detail)"
    " VALUES (:id, :at, :actor, :action, :st, :sid, :detail)"
)
_INSERT_AUDIT = text(INSERT_AUDIT_SQL)


def audit_row(
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    detail: Mapping[str, DetailValue] | None = None,
) -> dict[str, str]:
    """The parameters of one audit row (for :func:`write_audit_rows`)."""
    return {
        "id": new_uuid7(),
        "at": stamp(utc_now()),
        "actor": actor,
        "action": action,
        "st": subject_type,
        "sid": subject_id,
        "detail": json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False),
    }


def write_audit_rows(conn: Connection, rows: Sequence[dict[str, str]]) -> None:
    """Append several audit rows in one statement inside the caller's transaction."""
    if rows:
        conn.execute(_INSERT_AUDIT, list(rows))


def write_audit(
    conn: Connection,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    detail: Mapping[str, DetailValue] | None = None,
) -> None:
    """Append one audit row inside the caller's transaction (no personal data in ``detail``)."""
    conn.execute(
        _INSERT_AUDIT,
        audit_row(
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail,
        ),
    )


def list_audit(
    engine: Engine, *, subject_type: str | None = None, subject_id: str | None = None
) -> list[AuditEntry]:
    """Audit rows in time order, optionally for one subject."""
    sql = "SELECT audit_id, at, actor, action, subject_type, subject_id, detail FROM audit_log"
    params: dict[str, str] = {}
    clauses = []
    if subject_type is not None:
        clauses.append("subject_type = :st")
        params["st"] = subject_type
    if subject_id is not None:
        clauses.append("subject_id = :sid")
        params["sid"] = subject_id
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY at, audit_id"
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    return [AuditEntry(*(str(v) for v in row)) for row in rows]


def audit_if_idle(engine: Engine, row: dict[str, str]) -> bool:
    """Append one audit row only if that needs no wait for the write lock; False when skipped.

    For bookkeeping that must never queue behind filing writes (failed logins during a flood):
    on SQLite the insert is tried with a zero busy timeout; PostgreSQL inserts never wait on
    other inserts, so there it is a plain insert.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            write_audit_rows(conn, [row])
        return True
    pooled = engine.raw_connection()
    try:
        driver: Any = pooled.driver_connection
        previous = driver.execute("PRAGMA busy_timeout").fetchone()[0]
        driver.execute("PRAGMA busy_timeout=0")
        try:
            driver.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False  # a writer holds the lock: skip rather than wait
        finally:
            driver.execute(f"PRAGMA busy_timeout={int(previous)}")
        try:
            driver.execute(INSERT_AUDIT_SQL, row)
            driver.execute("COMMIT")
        except BaseException:
            if driver.in_transaction:
                driver.execute("ROLLBACK")
            raise
        return True
    finally:
        pooled.close()
