"""Staff download of the accepted (本登録) filings as the resident-system CSV, audited."""

from __future__ import annotations

from server_sync.intake import store
from server_sync.intake.clock import stamp
from server_sync.intake.context import IntakeContext
from server_sync.intake.export import export_csv, relationship_codes_of

from .auth import Session

EXPORT_FILENAME = "accepted-filings.csv"
EXPORT_MEDIA_TYPE = "text/csv; charset=utf-8"


def accepted_csv(ctx: IntakeContext, session: Session) -> str:
    """The CSV of every accepted filing (docs/export-format.md), with an audit row for it."""
    filings = store.list_accepted_filings(ctx.engine)
    text = export_csv(filings, relationship_codes_of(ctx.engine))
    with ctx.engine.begin() as conn:
        store.write_audit(
            conn,
            actor=f"staff:{session.username}",
            action="export.downloaded",
            subject_type="export",
            subject_id=stamp(ctx.now()),
            detail={"format": "csv", "filings": len(filings)},
        )
    return text
