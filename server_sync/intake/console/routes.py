"""The console's pages and actions under /console (thin: guards, then one call, then a page)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from server_sync.intake import store
from server_sync.intake.context import IntakeContext, context_of
from server_sync.intake.records import FilingStatus
from server_sync.intake.store import search_index
from server_sync.intake.store.search_index import Query

from . import assets, csrf, decisions, exports, preferences, scanning, seal
from . import fleet as fleet_view
from .auth import LOGIN_CSRF_COOKIE, SESSION_COOKIE, Session
from .errors import ConsoleError, CsrfError, LoginFailedError, LoginThrottledError
from .filing_routes import _filing_path
from .filing_routes import router as filing_router
from .guard import (
    authenticator,
    check_csrf,
    check_origin,
    console_settings,
    current_session,
    flash,
    flash_for,
    login_source,
    login_throttle,
    page_context,
    require_permission,
    with_session,
)
from .roles import Permission
from .search import day_start_utc, search_criteria, typed_receipt
from .views import DISPLAY_TZ, STATUS_LABELS, FilingRow, filing_row, short_time
from .web import (
    PREFIX,
    clear_cookie,
    error_response,
    json_response,
    read_form,
    redirect,
    render,
    secured,
    set_cookie,
    wants_json,
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)

LOGIN_CSRF_MAX_AGE_S = 3600
MS_PER_S = 1000
HOME_LIST_ROWS = 50
SEARCH_PAGE_ROWS = 50
NOT_FOUND = 404
PAGE_MAX = 10_000
SEARCH_STATUSES = ("received", "held", "accepted", "rejected")


# --- login / logout -------------------------------------------------------------------------


def _login_page(request: Request, notice: str = "", status: int = 200) -> Response:
    token = csrf.new_token()
    page = {"session": None, "login_csrf": token, **flash_for(notice)}
    response = render("login.html", page, status)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_MAX_AGE_S)
    return response


@router.get("/login")
async def login_page(request: Request) -> Response:
    """The login form (with a double-submit CSRF cookie)."""
    if await current_session(request) is not None:
        return redirect("/")
    return _login_page(request, request.query_params.get("m", ""))


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the password and open a session (always a fresh token: no session fixation)."""
    ctx = context_of(request)
    settings = console_settings(request)
    try:
        check_origin(request)
        form = await read_form(request, settings.form_max_bytes)
        if not csrf.tokens_match(
            request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf_token")
        ):
            raise CsrfError("login form expired; reload the page")
        token, _session = await run_in_threadpool(
            authenticator(ctx, settings, login_throttle(request)).login,
            form.get("username", "").strip(),
            form.get("password", ""),
            login_source(request),
        )
    except LoginThrottledError as err:
        # a tarpit: an attacker's sequential loop slows to the pace of this answer, for free
        await asyncio.sleep(settings.login_tarpit_ms / MS_PER_S)
        return _login_page(request, err.code, err.status)
    except LoginFailedError as err:
        return _login_page(request, err.code, err.status)
    except ConsoleError as err:
        return error_response(request, err, {"session": None})
    response = redirect("/")
    set_cookie(response, request, SESSION_COOKIE, token, settings.session_max_s)
    clear_cookie(response, request, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session (and forget its scans)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        check_csrf(request, session, await read_form(request, settings.form_max_bytes))
        await run_in_threadpool(authenticator(ctx, settings).logout, session)
        response = redirect("/login?m=logged_out")
        clear_cookie(response, request, SESSION_COOKIE)
        return response

    return await with_session(request, handle, post=True)


# --- scanning -------------------------------------------------------------------------------


@router.get("/")
async def home(request: Request) -> Response:
    """The scan page: the focused scan field, progress, and the work to do (today's first)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        progress = await run_in_threadpool(scanning.pending_progress, ctx.engine, session)
        today = ctx.now().astimezone(DISPLAY_TZ).date()
        criteria = Query(
            status=FilingStatus.RECEIVED.value,
            today_from=day_start_utc(today),
            page=_page_number(request.query_params.get("page", "")),
            page_size=HOME_LIST_ROWS,
        )
        found = await run_in_threadpool(search_index.search_page, ctx.engine, criteria)
        english = await run_in_threadpool(preferences.show_english, ctx.engine, session.username)
        page = page_context(
            session,
            settings,
            rows=_rows(found),
            result=found,
            page_query="",
            today=today.isoformat(),
            progress_text=progress.message if progress else "",
            show_english=english,
            **flash(request),
        )
        return render("home.html", page)

    return await with_session(request, handle, post=False)


def _rows(found: search_index.Page) -> list[FilingRow]:
    return [
        filing_row(
            h.filing,
            decisions.kind_label(h.filing),
            receipt_no=h.receipt_no,
            member_count=h.member_count,
            held=h.held_note is not None,
        )
        for h in found.hits
    ]


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= PAGE_MAX else 1


@router.post("/scan")
async def scan(request: Request) -> Response:
    """One scanned QR part (typed by the scanner, then Enter): progress or the filing."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        form = await read_form(request, settings.form_max_bytes)
        check_csrf(request, session, form)
        receipt = typed_receipt(form.get("part", ""))
        if receipt is not None:  # a 受付番号 typed (or read off the paper) into the scan field
            return await _open_receipt(request, ctx, receipt)
        outcome = await run_in_threadpool(
            scanning.submit_part,
            ctx.engine,
            session,
            form.get("part", ""),
            settings,
            int(ctx.now().timestamp()),
            discard=form.get("discard") == "1",  # the clerk confirmed: drop the half-read filing
        )
        if outcome.filing_id is None:
            if not wants_json(request):
                return redirect("/")
            return json_response(
                {
                    "state": "incomplete",
                    "have": outcome.have,
                    "total": outcome.total,
                    "message": outcome.message,
                }
            )
        path = f"/filings/{outcome.filing_id}"
        if not wants_json(request):
            return redirect(path)
        return json_response(
            {
                "state": "complete",
                "filing_id": outcome.filing_id,
                "url": PREFIX + path,
                "message": outcome.message,
            }
        )

    return await with_session(request, handle, post=True)


async def _open_receipt(request: Request, ctx: IntakeContext, receipt: str) -> Response:
    """The filing with this 受付番号 (or the search listing several, or a not-found notice)."""
    keys = await run_in_threadpool(search_index.keys_by_receipt, ctx.engine, receipt)
    if len(keys) == 1:
        kiosk, filing_id = keys[0]
        path = f"/filings/{filing_id}?{urlencode({'kiosk': kiosk})}"
    else:
        path = f"/search?{urlencode({'receipt': receipt})}"
    if not wants_json(request):
        return redirect(path)
    if not keys:
        shown = f"{receipt[:4]}-{receipt[4:]}"
        message = f"受付番号 {shown} の届出は届いていません（紙のQRコードを読み取ってください）"
        return json_response({"state": "not_found", "message": message}, NOT_FOUND)
    return json_response(
        {"state": "complete", "url": PREFIX + path, "message": "受付番号で開きます"}
    )


# --- one filing -----------------------------------------------------------------------------


@router.post("/filings/{filing_id}/reopen")
async def reopen(request: Request, filing_id: str) -> Response:
    """本登録/却下 → 仮登録 (supervisors and admins; audited)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        form = await read_form(request, settings.form_max_bytes)
        check_csrf(request, session, form)
        checked = decisions.checked_filing_id(filing_id)
        kiosk = decisions.checked_kiosk(form.get("kiosk"))
        await run_in_threadpool(decisions.reopen, ctx, session, checked, kiosk)
        stored = await run_in_threadpool(store.get_filing, ctx.engine, checked, kiosk)
        if stored is not None:  # its 印鑑登録証 binding (if any) ends with the decision
            await run_in_threadpool(
                seal.after_undecided, ctx, session, checked, stored.kiosk_id or ""
            )
        return redirect(_filing_path(checked, kiosk, "reopened"))

    return await with_session(request, handle, post=True)


# --- search and fleet -----------------------------------------------------------------------


@router.get("/search")
async def search(request: Request) -> Response:
    """Search by 氏名/フリガナ, 受付番号, birth date, kiosk, status and JST dates; paged."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        criteria, query = search_criteria(request.query_params, SEARCH_PAGE_ROWS)
        found = await run_in_threadpool(search_index.search_page, ctx.engine, criteria)
        kiosks = await run_in_threadpool(store.list_kiosks, ctx.engine)
        english = await run_in_threadpool(preferences.show_english, ctx.engine, session.username)
        form_query = {k: v for k, v in request.query_params.items() if k != "page" and v}
        page = page_context(
            session,
            settings,
            rows=_rows(found),
            result=found,
            page_query=urlencode(form_query),
            query=query,
            kiosk_ids=[k.kiosk_id for k in kiosks],
            statuses=[(s, STATUS_LABELS[s]) for s in SEARCH_STATUSES],
            show_english=english,
        )
        return render("search.html", page)

    return await with_session(request, handle, post=False)


@router.post("/preferences/english")
async def english_setting(request: Request) -> Response:
    """Turn this clerk's English subtitles on or off (stored per clerk; default off)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        form = await read_form(request, console_settings(request).form_max_bytes)
        check_csrf(request, session, form)
        on = form.get("show_english") == "1"
        await run_in_threadpool(preferences.set_english, ctx.engine, session.username, on)
        back = form.get("back", "/")
        return redirect(back if back.startswith("/") and not back.startswith("//") else "/")

    return await with_session(request, handle, post=True)


@router.get("/fleet")
async def fleet(request: Request) -> Response:
    """Every kiosk: contact, outbox, master, image, slot, devices, rollout; unused tokens."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        now = ctx.now()
        kiosks = await run_in_threadpool(store.list_kiosks, ctx.engine)
        pending = await run_in_threadpool(store.pending_enrolments, ctx.engine, now)
        published = await run_in_threadpool(fleet_view.published_update, ctx.settings.data_dir)
        rows = [fleet_view.fleet_row(k, now, published) for k in kiosks]
        english = await run_in_threadpool(preferences.show_english, ctx.engine, session.username)
        page = page_context(
            session,
            console_settings(request),
            kiosks=rows,
            pending=[fleet_view.pending_row(p) for p in pending],
            update=fleet_view.update_view(published, rows) if published else None,
            show_english=english,
        )
        return render("fleet.html", page)

    return await with_session(request, handle, post=False)


ROLE_LABELS = {"clerk": "窓口職員", "supervisor": "係長（監督）", "admin": "管理者"}


@router.get("/staff")
async def staff(request: Request) -> Response:
    """Every staff account with its role (admins only; changes are made with the CLI)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        require_permission(session, Permission.MANAGE_STAFF)
        members = [
            {
                "username": m.username,
                "role": m.role,
                "role_label": f"{ROLE_LABELS.get(m.role, m.role)} ({m.role})",
                "state_label": "無効 (disabled)" if m.disabled else "有効 (active)",
                "created_at": short_time(m.created_at),
            }
            for m in await run_in_threadpool(store.list_staff, ctx.engine)
        ]
        return render(
            "staff.html", page_context(session, console_settings(request), members=members)
        )

    return await with_session(request, handle, post=False)


@router.post("/export")
async def export(request: Request) -> Response:
    """Download the accepted filings as the resident-system CSV (CSRF-checked, audited)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        form = await read_form(request, console_settings(request).form_max_bytes)
        check_csrf(request, session, form)
        require_permission(session, Permission.EXPORT)
        profile = exports.profile_of(form.get("profile"))
        limit = console_settings(request).search_max_rows
        got = await run_in_threadpool(exports.download, ctx, session, form, profile, limit)
        disposition = f'attachment; filename="{got.filename}"'
        return secured(
            Response(
                got.data,
                media_type=got.media_type,
                headers={"Content-Disposition": disposition},
            )
        )

    return await with_session(request, handle, post=True)


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """The console's own CSS and JS (no CDN, no build step)."""
    return secured(assets.response(name))


router.include_router(filing_router)
