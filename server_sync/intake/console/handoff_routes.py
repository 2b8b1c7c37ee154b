"""Pages of the hand-off and the 住記 export: the 受付票 of a filing, the daily summary, the
export dialog (thin: guards, one data call, a page; views in :mod:`.handoff`)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from sqlalchemy import Engine, text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FormsError
from kiosk.forms.model import Filing
from server_sync.intake import store
from server_sync.intake.clock import stamp
from server_sync.intake.context import IntakeContext
from server_sync.intake.records import AuditEntry
from server_sync.intake.records import Filing as StoredFiling
from server_sync.intake.wording import JST

from . import decisions, exports, handoff
from .auth import Session
from .errors import BadInputError, NotFoundError
from .guard import console_settings, page_context, require_permission, with_session
from .roles import Permission
from .web import PREFIX, render

router = APIRouter(prefix=PREFIX, include_in_schema=False)

SUMMARY_MAX_FILINGS = 1000  # a day at one ward's counters stays far below this
SUMMARY_ACTIONS = (handoff.SCANNED_ACTION, *sorted(handoff.DECISION_ACTIONS))
EXPORT_FILTERS = ("from", "to", "kiosk", "name", "receipt", "birth")
FILTER_LABELS = {
    "from": "受付日から",
    "to": "受付日まで",
    "kiosk": "端末",
    "name": "氏名・フリガナ",
    "receipt": "受付番号",
    "birth": "生年月日",
}


# --- 受付票 / 引継票 -------------------------------------------------------------------------


def _slip_data(
    ctx: IntakeContext, session: Session, filing_id: str, kiosk: str | None
) -> tuple[Filing, StoredFiling | None, str]:
    scan_facts, stored = decisions.load(ctx, session, filing_id, kiosk)
    source = (
        stored.filing_json if stored is not None else scan_facts.filing_json if scan_facts else ""
    )
    try:
        filing = filing_from_json(source)
    except (FormsError, ValueError):
        raise NotFoundError("この届出は内容を表示できません (the filing cannot be shown)") from None
    kiosk_id = (stored.kiosk_id if stored else None) or (scan_facts.kiosk_id if scan_facts else "")
    return filing, stored, kiosk_id or ""


@router.get("/filings/{filing_id}/slip")
async def slip(request: Request, filing_id: str) -> Response:
    """The printable 受付票 / 引継票 of one filing (A4 print stylesheet)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        checked = decisions.checked_filing_id(filing_id)
        kiosk = decisions.checked_kiosk(request.query_params.get("kiosk"))
        filing, stored, kiosk_id = await run_in_threadpool(_slip_data, ctx, session, checked, kiosk)
        view = handoff.slip_view(filing, stored, kiosk_id)
        printed = ctx.now().astimezone(JST).strftime("%Y-%m-%d %H:%M")
        page = page_context(
            session, console_settings(request), slip=view, printed_at=printed, kiosk=kiosk_id
        )
        return render("slip.html", page)

    return await with_session(request, handle, post=False)


# --- the daily summary ----------------------------------------------------------------------


def _day_of(raw: str, today: date) -> date:
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadInputError("日付は YYYY-MM-DD で入力してください (dates as YYYY-MM-DD)") from None


def _summary_data(
    engine: Engine, day: date
) -> tuple[list[StoredFiling], dict[tuple[str, str], str], list[AuditEntry]]:
    start, end = handoff.day_bounds(day)
    filings = store.search_filings(
        engine,
        store.FilingSearch(
            received_from=stamp(start), received_to=stamp(end), limit=SUMMARY_MAX_FILINGS
        ),
    )
    kinds = {(f.kiosk_id or "", f.filing_id): decisions.kind_label(f) for f in filings}
    params = {"a": stamp(start), "b": stamp(end)}
    names = ", ".join(f":x{i}" for i in range(len(SUMMARY_ACTIONS)))
    params.update({f"x{i}": action for i, action in enumerate(SUMMARY_ACTIONS)})
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT audit_id, at, actor, action, subject_type, subject_id, detail"  # noqa: S608
                f" FROM audit_log WHERE at >= :a AND at < :b AND action IN ({names})"
                " ORDER BY at, audit_id"
            ),
            params,
        ).all()
    return filings, kinds, [AuditEntry(*(str(v) for v in row)) for row in rows]


@router.get("/summary")
async def summary(request: Request) -> Response:
    """One Japan-time day: filings per kind, kiosk and hour, decisions, scan → decision."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        today = ctx.now().astimezone(JST).date()
        day = _day_of(request.query_params.get("day", "").strip(), today)
        filings, kinds, entries = await run_in_threadpool(_summary_data, ctx.engine, day)
        view = handoff.summary_view(day, filings, kinds, entries)
        page = page_context(session, console_settings(request), summary=view)
        return render("summary.html", page)

    return await with_session(request, handle, post=False)


# --- the export dialog ----------------------------------------------------------------------


@router.get("/export")
async def export_dialog(request: Request) -> Response:
    """What the export would take with the search page's filters; the download form."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        require_permission(session, Permission.EXPORT)
        settings = console_settings(request)
        params = {k: request.query_params.get(k, "") for k in EXPORT_FILTERS}
        selection, query, _ = exports.selection_of(ctx.engine, params, settings.search_max_rows)
        total, fresh = await run_in_threadpool(exports.pending_count, ctx.engine, selection)
        ward = exports.export_settings(ctx.settings.data_dir)
        page = page_context(
            session,
            settings,
            filters=[(k, v) for k, v in params.items() if v],
            filter_labels=FILTER_LABELS,
            query=query,
            total=total,
            fresh=fresh,
            encoding=exports.ENCODING_LABELS[ward.encoding],
        )
        return render("export.html", page)

    return await with_session(request, handle, post=False)
