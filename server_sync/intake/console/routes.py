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

from . import assets, csrf, decisions, exports, scanning
from .auth import LOGIN_CSRF_COOKIE, SESSION_COOKIE, Session
from .errors import ConsoleError, CsrfError, LoginFailedError, LoginThrottledError
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
from .search import search_criteria
from .views import STATUS_LABELS, filing_row, kiosk_row, short_time
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
    """The scan page: the focused scan field, progress, and filings awaiting review."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        progress = await run_in_threadpool(scanning.pending_progress, ctx.engine, session)
        rows = await run_in_threadpool(
            store.search_filings,
            ctx.engine,
            store.FilingSearch(status=FilingStatus.RECEIVED, limit=HOME_LIST_ROWS),
        )
        page = page_context(
            session,
            console_settings(request),
            rows=[filing_row(f, decisions.kind_label(f)) for f in rows],
            progress_text=progress.message if progress else "",
            **flash(request),
        )
        return render("home.html", page)

    return await with_session(request, handle, post=False)


@router.post("/scan")
async def scan(request: Request) -> Response:
    """One scanned QR part (typed by the scanner, then Enter): progress or the filing."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        form = await read_form(request, settings.form_max_bytes)
        check_csrf(request, session, form)
        outcome = await run_in_threadpool(
            scanning.submit_part,
            ctx.engine,
            session,
            form.get("part", ""),
            settings,
            int(ctx.now().timestamp()),
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


# --- one filing -----------------------------------------------------------------------------


def _filing_path(filing_id: str, kiosk_id: str | None, notice: str) -> str:
    """The filing page after an action (with its kiosk: ids are unique per kiosk only)."""
    query = {"m": notice}
    if kiosk_id:
        query["kiosk"] = kiosk_id
    return f"/filings/{filing_id}?{urlencode(query)}"


@router.get("/filings/{filing_id}")
async def filing_page(request: Request, filing_id: str) -> Response:
    """A filing laid out like the form, with its checks, history and the actions."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        checked = decisions.checked_filing_id(filing_id)
        kiosk = decisions.checked_kiosk(request.query_params.get("kiosk"))
        scan_facts, stored = await run_in_threadpool(decisions.load, ctx, session, checked, kiosk)
        approved_by = await run_in_threadpool(decisions.approvals, ctx, checked) if stored else []
        view = decisions.filing_view(
            scan_facts,
            stored,
            approved_by=approved_by,
            approvals_needed=console_settings(request).accept_approvals,
            username=session.username,
        )
        rows = await run_in_threadpool(decisions.history, ctx, checked) if stored else []
        page = page_context(
            session, console_settings(request), view=view, history=rows, **flash(request)
        )
        return render("filing.html", page)

    return await with_session(request, handle, post=False)


@router.post("/filings/{filing_id}/accept")
async def accept(request: Request, filing_id: str) -> Response:
    """仮登録 → 本登録 (valid kiosk signature, paper scanned, no difference to the posted copy)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        form = await read_form(request, settings.form_max_bytes)
        check_csrf(request, session, form)
        checked = decisions.checked_filing_id(filing_id)
        now_status = await run_in_threadpool(
            decisions.decide,
            ctx,
            session,
            checked,
            FilingStatus.ACCEPTED,
            None,
            settings.accept_approvals,
            decisions.checked_kiosk(form.get("kiosk")),
        )
        notice = "accepted" if now_status is FilingStatus.ACCEPTED else "approved"
        return redirect(_filing_path(checked, form.get("kiosk"), notice))

    return await with_session(request, handle, post=True)


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
        return redirect(_filing_path(checked, kiosk, "reopened"))

    return await with_session(request, handle, post=True)


@router.post("/filings/{filing_id}/reject")
async def reject(request: Request, filing_id: str) -> Response:
    """Reject with a reason (required, plain text)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        form = await read_form(request, settings.form_max_bytes)
        check_csrf(request, session, form)
        checked = decisions.checked_filing_id(filing_id)
        reason = decisions.checked_reason(form.get("reason", ""), settings.reject_reason_max_chars)
        await run_in_threadpool(
            decisions.decide,
            ctx,
            session,
            checked,
            FilingStatus.REJECTED,
            reason,
            1,
            decisions.checked_kiosk(form.get("kiosk")),
        )
        return redirect(_filing_path(checked, form.get("kiosk"), "rejected"))

    return await with_session(request, handle, post=True)


# --- search and fleet -----------------------------------------------------------------------


@router.get("/search")
async def search(request: Request) -> Response:
    """Search by received date (Japan time), kiosk and status."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        criteria, query = search_criteria(request.query_params, settings.search_max_rows)
        rows = await run_in_threadpool(store.search_filings, ctx.engine, criteria)
        kiosks = await run_in_threadpool(store.list_kiosks, ctx.engine)
        page = page_context(
            session,
            settings,
            rows=[filing_row(f, decisions.kind_label(f)) for f in rows],
            query=query,
            kiosk_ids=[k.kiosk_id for k in kiosks],
            statuses=[(s.value, STATUS_LABELS[s.value]) for s in FilingStatus],
        )
        return render("search.html", page)

    return await with_session(request, handle, post=False)


@router.get("/fleet")
async def fleet(request: Request) -> Response:
    """Every kiosk with last contact, backlog, dead letters, master version and health."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        kiosks = await run_in_threadpool(store.list_kiosks, ctx.engine)
        now = ctx.now()
        rows = [kiosk_row(k, now) for k in kiosks]
        return render("fleet.html", page_context(session, console_settings(request), kiosks=rows))

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
        text = await run_in_threadpool(exports.accepted_csv, ctx, session, profile)
        disposition = f'attachment; filename="{exports.filename_of(profile)}"'
        return secured(
            Response(
                text.encode("utf-8"),
                media_type=exports.EXPORT_MEDIA_TYPE,
                headers={"Content-Disposition": disposition},
            )
        )

    return await with_session(request, handle, post=True)


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """The console's own CSS and JS (no CDN, no build step)."""
    return secured(assets.response(name))
