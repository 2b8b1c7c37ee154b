"""Small SQL probes the intake tests assert on (rows, not function calls)."""

from __future__ import annotations

from sqlalchemy import Engine, text


def filing_count(engine: Engine, filing_id: str | None = None) -> int:
    """Rows in filings (for one id, or all)."""
    with engine.connect() as conn:
        if filing_id is None:
            return int(conn.execute(text("SELECT COUNT(*) FROM filings")).scalar_one())
        return int(
            conn.execute(
                text("SELECT COUNT(*) FROM filings WHERE filing_id = :f"), {"f": filing_id}
            ).scalar_one()
        )


def audit_actions(engine: Engine, subject_id: str) -> list[str]:
    """The audit actions recorded for one subject, in order."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT action FROM audit_log WHERE subject_id = :s ORDER BY at, audit_id"),
            {"s": subject_id},
        ).all()
    return [row[0] for row in rows]
