"""Staff download of accepted (本登録) filings for the 住記 import: filtered, marked, audited.

Two profiles (docs/export-format.md): ``kiosk`` (the original 39 columns + the 住記 additions)
and ``kihon`` (基本データリスト vocabulary, coded through ``<data-dir>/kihon-mapping``). The
download honours the search form's filters (received date in JST, kiosk), takes only filings not
exported yet unless a re-export is asked for, marks what it took (``exported_at``/``exported_by``)
in the same transaction, and is named ``<ward code>_<JST from>-<JST to>[_kihon].csv``. Encoding:
UTF-8 with BOM (Excel on a ward PC), or cp932 as the ward's export setting
(``<data-dir>/export-settings.json``), refusing characters cp932 cannot hold unless the setting
allows 〓 in their place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, text

from kiosk.forms.relationship import RelationshipCodes
from kiosk.forms.settings import WardSettings
from server_sync.intake.clock import stamp
from server_sync.intake.context import IntakeContext
from server_sync.intake.errors import StoredFilingError
from server_sync.intake.export import (
    ExportMark,
    ExportRun,
    ExportSelection,
    FilingKey,
    export_csv,
    parse_stored,
    relationship_codes_of,
    run_export,
)
from server_sync.intake.kihon import KihonError, WardMapping, export_kihon_csv
from server_sync.intake.kihon.encoding import Encoding, encode_text, find_losses
from server_sync.intake.kihon.output import (
    PROFILE_KIHON,
    PROFILE_KIOSK,
    PROFILES,
    mapping_for,
    ward_settings_of,
)
from server_sync.intake.records import Filing as StoredFiling
from server_sync.intake.records import FilingStatus
from server_sync.intake.store import audit as audit_store
from server_sync.intake.store import search_index
from server_sync.intake.wording import JST, parse_utc

from .auth import Session
from .errors import ConsoleError
from .search import search_criteria

#: the ward's mapping directory for the kihon profile, under the intake's data dir
KIHON_MAPPING_DIR = "kihon-mapping"
#: the ward's export setting: {"encoding": "utf-8-sig"|"cp932"|"utf-8", "allow_loss": false,
#: "ward_code": "131041"} (every key optional)
EXPORT_SETTINGS_FILE = "export-settings.json"
DEFAULT_ENCODING = Encoding.UTF8_SIG
MEDIA_TYPES = {
    Encoding.UTF8: "text/csv; charset=utf-8",
    Encoding.UTF8_SIG: "text/csv; charset=utf-8",
    Encoding.CP932: "text/csv; charset=shift_jis",
}
ENCODING_LABELS = {
    Encoding.UTF8: "UTF-8（BOMなし）",
    Encoding.UTF8_SIG: "UTF-8（BOM付き・Excel用）",
    Encoding.CP932: "Shift_JIS（cp932）",
}
UNKNOWN_WARD = "000000"
KIHON_SUFFIX = "_kihon"
MAX_LOSSES_SHOWN = 3
REEXPORT_VALUE = "1"
WHERE = " WHERE "


class ExportProfileError(ConsoleError):
    """The kihon export cannot be made: mapping directory missing or a value without a code."""

    code = "export_mapping"
    status = 409


class ExportSettingsError(ConsoleError):
    """The ward's export-settings.json cannot be read."""

    code = "export_settings"
    status = 409


class ExportEncodingLossError(ConsoleError):
    """cp932 cannot hold some characters and the ward does not allow 〓 in their place."""

    code = "export_encoding_loss"
    status = 409


@dataclass(frozen=True, slots=True)
class ExportSettings:
    """The ward's export setting (a file in the intake's data directory)."""

    encoding: Encoding = DEFAULT_ENCODING
    allow_loss: bool = False
    ward_code: str = ""


@dataclass(frozen=True, slots=True)
class Download:
    """One export file, ready to send."""

    data: bytes
    filename: str
    media_type: str
    filings: int


def profile_of(value: str | None) -> str:
    """The requested profile (unknown or missing → ``kiosk``, the original layout)."""
    return value if value in PROFILES else PROFILE_KIOSK


def export_settings(data_dir: Path) -> ExportSettings:
    """``<data-dir>/export-settings.json`` (missing → UTF-8 with BOM, no loss allowed)."""
    path = data_dir / EXPORT_SETTINGS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ExportSettings()
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ExportSettingsError(f"{EXPORT_SETTINGS_FILE}: 読み取れません ({err})") from None
    if not isinstance(raw, dict):
        raise ExportSettingsError(f"{EXPORT_SETTINGS_FILE}: JSON object expected")
    try:
        encoding = Encoding(str(raw.get("encoding", DEFAULT_ENCODING.value)))
    except ValueError:
        raise ExportSettingsError(
            f"{EXPORT_SETTINGS_FILE}: encoding must be utf-8, utf-8-sig or cp932"
        ) from None
    return ExportSettings(
        encoding=encoding,
        allow_loss=raw.get("allow_loss") is True,
        ward_code=str(raw.get("ward_code", "")),
    )


def selection_of(
    engine: Engine, form: Mapping[str, str], limit: int
) -> tuple[ExportSelection, dict[str, str], bool]:
    """The search form's filters (hidden fields of the export form) as an export selection.

    Every filter of the search form applies (氏名, 受付番号, birth date, kiosk, JST dates); its
    状態 does not: only accepted (受理) filings are ever exported.
    """
    criteria, query = search_criteria(form, limit)
    reexport = form.get("reexport", "") == REEXPORT_VALUE
    search_index.backfill(engine)  # rows stored before the search index existed
    accepted = replace(criteria, status=FilingStatus.ACCEPTED.value)
    where, params = search_index._where(accepted)  # the search page's own conditions
    selection = ExportSelection(
        not_exported=not reexport,
        where=where.removeprefix(WHERE),
        where_params=params,
    )
    return selection, query, reexport


def pending_count(engine: Engine, selection: ExportSelection) -> tuple[int, int]:
    """(filings, of which not exported yet) the selection's export would take (the dialog)."""
    clauses = ["status = :s"]
    params: dict[str, object] = {"s": FilingStatus.ACCEPTED.value}
    if selection.where:
        clauses.append(f"({selection.where})")
        params.update(selection.where_params)
    sql = (
        "SELECT COUNT(*), SUM(CASE WHEN exported_at IS NULL THEN 1 ELSE 0 END)"  # noqa: S608
        f" FROM filings WHERE {' AND '.join(clauses)}"
    )
    with engine.connect() as conn:
        row = conn.execute(text(sql), params).one()
    return int(row[0] or 0), int(row[1] or 0)


def _jst_day(stored_stamp: str) -> date | None:
    moment = parse_utc(stored_stamp)
    return None if moment is None else moment.astimezone(JST).date()


def filename_of(
    profile: str,
    ward_code: str,
    query: Mapping[str, str],
    filings: list[StoredFiling],
    now: datetime,
) -> str:
    """``131041_20261201-20261206.csv``: ward code and the JST date range the file covers.

    The range is the search form's dates; an open end is the earliest received day of the
    filings (or today), the latest (or today) on the other side.
    """
    days = sorted(d for d in (_jst_day(f.received_at) for f in filings) if d is not None)
    today = now.astimezone(JST).date()
    first = date.fromisoformat(query["date_from"]) if query.get("date_from") else None
    last = date.fromisoformat(query["date_to"]) if query.get("date_to") else None
    start = first or (days[0] if days else (last or today))
    end = last or (days[-1] if days else today)
    suffix = KIHON_SUFFIX if profile == PROFILE_KIHON else ""
    return f"{ward_code}_{start:%Y%m%d}-{end:%Y%m%d}{suffix}.csv"


def _encoded(text_doc: str, settings: ExportSettings) -> bytes:
    losses = find_losses(text_doc, settings.encoding)
    if losses and not settings.allow_loss:
        shown = "、".join(
            f"{x.char}（{x.code_point}, {x.column}, {x.row}行目）"
            for x in losses[:MAX_LOSSES_SHOWN]
        )
        raise ExportEncodingLossError(
            f"Shift_JIS（cp932）で表せない文字が {len(losses)} 文字あります: {shown}。"
            " 出力しませんでした（出力済みにもしていません）。"
        )
    return encode_text(text_doc, settings.encoding)


def download(
    ctx: IntakeContext,
    session: Session,
    form: Mapping[str, str],
    profile: str,
    limit: int,
) -> Download:
    """The export file of the form's filters, marking what it took; with an audit row.

    The kihon profile raises :class:`ExportProfileError` (mapping missing, value unmapped) and
    cp932 loss :class:`ExportEncodingLossError` before anything is marked, audited or sent.
    """
    settings = export_settings(ctx.settings.data_dir)
    selection, query, reexport = selection_of(ctx.engine, form, limit)
    codes = relationship_codes_of(ctx.engine)
    now = ctx.now()

    # read before the export's write transaction (SQLite: one BEGIN IMMEDIATE at a time)
    kihon = _kihon_inputs(ctx, codes) if profile == PROFILE_KIHON else None

    def render(filings: list[StoredFiling], marks: dict[FilingKey, ExportMark]) -> bytes:
        if kihon is not None:
            try:
                doc = export_kihon_csv(filings, *kihon)
            except KihonError as err:
                raise ExportProfileError(err.detail) from err
        else:
            doc = export_csv(filings, codes, marks)
        return _encoded(doc, settings)

    actor = f"staff:{session.username}"
    run: ExportRun[bytes] = run_export(ctx.engine, selection, render, mark_by=actor, now=now)
    ward = settings.ward_code or (_ward_of(run.filings) or UNKNOWN_WARD)
    name = filename_of(profile, ward, query, run.filings, now)
    _audit(ctx, actor, now, run, profile, settings, reexport, name)
    return Download(run.document, name, MEDIA_TYPES[settings.encoding], len(run.filings))


def _kihon_inputs(ctx: IntakeContext, codes: RelationshipCodes) -> tuple[WardMapping, WardSettings]:
    try:
        mapping = mapping_for(ctx.settings.data_dir / KIHON_MAPPING_DIR, codes)
        return mapping, ward_settings_of(ctx.engine)
    except KihonError as err:
        raise ExportProfileError(err.detail) from err


def _ward_of(filings: list[StoredFiling]) -> str:
    """The receiving ward of the exported filings (they all name the intake's own ward)."""
    for stored in filings:
        try:
            return parse_stored(stored).ward_code
        except StoredFilingError:  # pragma: no cover - the render parsed them already
            continue
    return ""


def _audit(
    ctx: IntakeContext,
    actor: str,
    now: datetime,
    run: ExportRun[bytes],
    profile: str,
    settings: ExportSettings,
    reexport: bool,
    name: str,
) -> None:
    detail: dict[str, str | int | bool] = {
        "format": "csv",
        "filings": len(run.filings),
        "marked": run.newly_marked,
        "file": name,
        "encoding": settings.encoding.value,
    }
    if profile != PROFILE_KIOSK:
        detail["profile"] = profile
    if reexport:
        detail["reexport"] = True
    with ctx.engine.begin() as conn:
        audit_store.write_audit(
            conn,
            actor=actor,
            action="export.downloaded",
            subject_type="export",
            subject_id=stamp(now),
            detail=detail,
        )
