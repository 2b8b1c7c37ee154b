"""Staff download of the accepted (本登録) filings as the resident-system CSV, audited.

Two profiles (docs/export-format.md): ``kiosk`` (the original 39 columns) and ``kihon`` (基本データ
リスト vocabulary, coded through the ward's mapping directory ``<data-dir>/kihon-mapping``).
"""

from __future__ import annotations

from server_sync.intake import store
from server_sync.intake.clock import stamp
from server_sync.intake.context import IntakeContext
from server_sync.intake.export import export_csv, relationship_codes_of
from server_sync.intake.kihon import KihonError, export_kihon_csv
from server_sync.intake.kihon.output import (
    PROFILE_KIHON,
    PROFILE_KIOSK,
    PROFILES,
    mapping_for,
    ward_settings_of,
)

from .auth import Session
from .errors import ConsoleError

EXPORT_FILENAME = "accepted-filings.csv"
KIHON_FILENAME = "accepted-filings-kihon.csv"
EXPORT_MEDIA_TYPE = "text/csv; charset=utf-8"
#: the ward's mapping directory for the kihon profile, under the intake's data dir
KIHON_MAPPING_DIR = "kihon-mapping"


class ExportProfileError(ConsoleError):
    """The kihon export cannot be made: mapping directory missing or a value without a code."""

    code = "export_mapping"
    status = 409


def profile_of(value: str | None) -> str:
    """The requested profile (unknown or missing → ``kiosk``, the original layout)."""
    return value if value in PROFILES else PROFILE_KIOSK


def filename_of(profile: str) -> str:
    """The download's file name."""
    return KIHON_FILENAME if profile == PROFILE_KIHON else EXPORT_FILENAME


def accepted_csv(ctx: IntakeContext, session: Session, profile: str = PROFILE_KIOSK) -> str:
    """The CSV of every accepted filing (docs/export-format.md), with an audit row for it.

    The kihon profile raises a :class:`~server_sync.intake.kihon.KihonError` (mapping missing,
    value unmapped) before anything is audited or sent.
    """
    filings = store.list_accepted_filings(ctx.engine)
    codes = relationship_codes_of(ctx.engine)
    if profile == PROFILE_KIHON:
        try:
            mapping = mapping_for(ctx.settings.data_dir / KIHON_MAPPING_DIR, codes)
            text = export_kihon_csv(filings, mapping, ward_settings_of(ctx.engine))
        except KihonError as err:
            raise ExportProfileError(err.detail) from err
    else:
        text = export_csv(filings, codes)
    detail: dict[str, str | int] = {"format": "csv", "filings": len(filings)}
    if profile != PROFILE_KIOSK:
        detail["profile"] = profile
    with ctx.engine.begin() as conn:
        store.write_audit(
            conn,
            actor=f"staff:{session.username}",
            action="export.downloaded",
            subject_type="export",
            subject_id=stamp(ctx.now()),
            detail=detail,
        )
    return text
