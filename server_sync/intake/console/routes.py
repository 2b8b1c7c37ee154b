"""The console's pages and actions, mounted under /console by the intake's create_app."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FormsError
from kiosk.forms.model import FilingKind
from server_sync.intake import store
from server_sync.intake.clock import stamp
from server_sync.intake.context import IntakeContext, context_of
from server_sync.intake.errors import InvalidTransitionError
from server_sync.intake.records import Filing, FilingStatus

from . import assets, csrf, scanning
from .auth import LOGIN_CSRF_COOKIE, SESSION_COOKIE, Authenticator, Session
from .errors import (
    ActionRefusedError,
    BadInputError,
    ConsoleError,
    CsrfError,
    LoginFailedError,
    NotFoundError,
)
from .review import ScanFacts, assess
from .settings import ConsoleSettings
from .views import (
    DISPLAY_TZ,
    STATUS_LABELS,
    filing_row,
    form_view,
    kiosk_row,
    short_time,
)
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

log = logging.getLogger(__name__)

router = APIRouter(prefix=PREFIX, include_in_schema=False)

FILING_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
LOGIN_CSRF_MAX_AGE_S = 3600
HOME_LIST_ROWS = 50
FLASH = {
    "accepted": ("本登録しました / Accepted", "ok"),
    "rejected": ("却下しました / Rejected", "ok"),
    "logged_out": ("ログアウトしました / Logged out", "ok"),
    "expired": (
        "セッションの有効期限が切れました。再度ログインしてください / Session expired",
        "error",
    ),
    "login_failed": ("ユーザー名またはパスワードが違います / Wrong username or password", "error"),
    "login_throttled": (
        "失敗が続いたため一時的にログインできません / Too many failures, wait a while",
        "error",
    ),
}


def console_settings(ctx: IntakeContext) -> ConsoleSettings:
    """Console settings from the intake settings' ``extra`` map (keys like session_idle_s)."""
    return ConsoleSettings.from_mapping(ctx.settings.extra, prefix="CONSOLE_")


def authenticator(ctx: IntakeContext) -> Authenticator:
    """The session authority for this app."""
    return Authenticator(
        ctx.engine, console_settings(ctx), clock=lambda: int(ctx.now().timestamp())
    )


async def current_session(request: Request) -> Session | None:
    """The live session of this request's cookie, if any."""
    ctx = context_of(request)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return await run_in_threadpool(authenticator(ctx).session, token)


def _flash(request: Request) -> dict[str, str]:
    key = request.query_params.get("m", "")
    text, kind = FLASH.get(key, ("", ""))
    return {"message": text, "message_kind": kind}


def _page(session: Session, settings: ConsoleSettings, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "session": session,
        "max_part_chars": settings.scan_max_part_chars,
        "max_reason_chars": settings.reject_reason_max_chars,
        "progress_text": "",
    }
    base.update(extra)
    return base


def _not_logged_in(request: Request) -> Response:
    had_cookie = SESSION_COOKIE in request.cookies
    if wants_json(request) or request.method != "GET":
        return json_response(
            {
                "error": "not_logged_in",
                "detail": "login required",
                "message": "ログインしてください / Please log in",
                "login": PREFIX + "/login",
            },
            401,
        )
    response = redirect("/login?m=expired" if had_cookie else "/login")
    if had_cookie:
        clear_cookie(response, request, SESSION_COOKIE)
    return response


Handler = Callable[[Request, Session, IntakeContext], Awaitable[Response]]


async def _with_session(request: Request, handler: Handler, *, post: bool) -> Response:
    ctx = context_of(request)
    session = await current_session(request)
    if session is None:
        return _not_logged_in(request)
    try:
        if post:
            _check_origin(request)
        return await handler(request, session, ctx)
    except ConsoleError as err:
        log.info("console refused: %s", err.code)
        settings = console_settings(ctx)
        return error_response(request, err, _page(session, settings))


def _check_origin(request: Request) -> None:
    if not csrf.origin_allowed(
        request.headers.get("origin"), request.headers.get("referer"), request.headers.get("host")
    ):
        raise CsrfError("cross-site request refused")


def _check_csrf(request: Request, session: Session, form: dict[str, str]) -> None:
    presented = request.headers.get(csrf.CSRF_HEADER) or form.get(csrf.CSRF_FIELD)
    if not csrf.tokens_match(session.csrf_token, presented):
        raise CsrfError("missing or wrong CSRF token; reload the page")


# --- login / logout -------------------------------------------------------------------------


@router.get("/login")
async def login_page(request: Request) -> Response:
    """The login form (with a double-submit CSRF cookie)."""
    if await current_session(request) is not None:
        return redirect("/")
    token = csrf.new_token()
    page = {"session": None, "login_csrf": token, **_flash(request)}
    response = render("login.html", page)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_MAX_AGE_S)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the password and open a session."""
    ctx = context_of(request)
    settings = console_settings(ctx)
    try:
        _check_origin(request)
        form = await read_form(request, settings.form_max_bytes)
        if not csrf.tokens_match(
            request.cookies.get(LOGIN_CSRF_COOKIE, ""), form.get("csrf_token")
        ):
            raise CsrfError("login form expired; reload the page")
        username = form.get("username", "").strip()
        password = form.get("password", "")
        token, session = await run_in_threadpool(authenticator(ctx).login, username, password)
    except LoginFailedError as err:
        return _login_again(request, err.code, 401)
    except ConsoleError as err:
        if err.code == "login_throttled":
            return _login_again(request, err.code, err.status)
        return error_response(request, err, {"session": None})
    response = redirect("/")
    set_cookie(response, request, SESSION_COOKIE, token, settings.session_max_s)
    clear_cookie(response, request, LOGIN_CSRF_COOKIE)
    del session
    return response


def _login_again(request: Request, code: str, status: int) -> Response:
    token = csrf.new_token()
    page = {"session": None, "login_csrf": token, **_flash_for(code)}
    response = render("login.html", page, status)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_MAX_AGE_S)
    return response


def _flash_for(key: str) -> dict[str, str]:
    text, kind = FLASH.get(key, ("", ""))
    return {"message": text, "message_kind": kind}


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        form = await read_form(request, console_settings(ctx).form_max_bytes)
        _check_csrf(request, session, form)
        await run_in_threadpool(authenticator(ctx).logout, session)
        response = redirect("/login?m=logged_out")
        clear_cookie(response, request, SESSION_COOKIE)
        return response

    return await _with_session(request, handle, post=True)


# --- scanning ----------------------------------------------------------------------------


@router.get("/")
async def home(request: Request) -> Response:
    """The scan page: the focused scan field, progress, and filings awaiting review."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(ctx)
        progress = await run_in_threadpool(scanning.pending_progress, ctx.engine, session)
        rows = await run_in_threadpool(
            store.search_filings,
            ctx.engine,
            store.FilingSearch(status=FilingStatus.RECEIVED, limit=HOME_LIST_ROWS),
        )
        page = _page(
            session,
            settings,
            rows=[filing_row(f, _kind_label(f)) for f in rows],
            progress_text=progress.message if progress else "",
            **_flash(request),
        )
        return render("home.html", page)

    return await _with_session(request, handle, post=False)


@router.post("/scan")
async def scan(request: Request) -> Response:
    """One scanned QR part (typed by the scanner, then Enter)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(ctx)
        form = await read_form(request, settings.form_max_bytes)
        _check_csrf(request, session, form)
        outcome = await run_in_threadpool(
            scanning.submit_part,
            ctx.engine,
            session,
            form.get("part", ""),
            settings,
            int(ctx.now().timestamp()),
        )
        if outcome.filing_id is not None:
            url = f"{PREFIX}/filings/{outcome.filing_id}"
            if wants_json(request):
                return json_response(
                    {
                        "state": "complete",
                        "filing_id": outcome.filing_id,
                        "url": url,
                        "message": outcome.message,
                    }
                )
            return redirect(f"/filings/{outcome.filing_id}")
        if wants_json(request):
            return json_response(
                {
                    "state": "incomplete",
                    "have": outcome.have,
                    "total": outcome.total,
                    "message": outcome.message,
                }
            )
        return redirect("/")

    return await _with_session(request, handle, post=True)


# --- one filing ----------------------------------------------------------------------------


def _kind_label(filing: Filing) -> str:
    try:
        raw = json.loads(filing.filing_json)
        return FilingKind(raw["kind"]).label_ja
    except (ValueError, KeyError, TypeError):
        return "?"


def _checked_filing_id(filing_id: str) -> str:
    if not FILING_ID_RE.fullmatch(filing_id):
        raise NotFoundError("no such filing")
    return filing_id


def _load(
    ctx: IntakeContext, session: Session, filing_id: str
) -> tuple[ScanFacts | None, Filing | None]:
    stored = store.get_filing(ctx.engine, filing_id)
    scan_facts = scanning.load_scan(ctx.engine, session, filing_id)
    if stored is None and scan_facts is None:
        raise NotFoundError("no such filing (not posted, not scanned in this session)")
    return scan_facts, stored


def _filing_view(scan_facts: ScanFacts | None, stored: Filing | None) -> dict[str, Any]:
    review = assess(scan_facts, stored)
    source_json = (
        scan_facts.filing_json
        if scan_facts is not None
        else (stored.filing_json if stored is not None else "")
    )
    try:
        model = filing_from_json(source_json)
        form = form_view(model)
        kind = model.kind.label_ja
    except (FormsError, ValueError):
        form, kind = None, "?"
    status = stored.status.value if stored is not None else "unrecorded"
    return {
        "filing_id": scan_facts.filing_id if scan_facts else stored.filing_id if stored else "",
        "kiosk_id": scan_facts.kiosk_id if scan_facts else stored.kiosk_id if stored else None,
        "created_at": short_time(
            scan_facts.created_at if scan_facts else stored.created_at if stored else None
        ),
        "received_at": short_time(stored.received_at) if stored else "",
        "status": status,
        "status_label": STATUS_LABELS[status],
        "kind_label": kind,
        "form": form,
        "checks": review.checks,
        "can_accept": review.can_accept,
        "accept_blocker": review.accept_blocker,
        "can_reject": review.can_reject,
        "reject_reason": stored.reject_reason if stored else None,
        "decided_by": stored.decided_by if stored else None,
        "decided_at": short_time(stored.decided_at) if stored and stored.decided_at else "",
    }


@router.get("/filings/{filing_id}")
async def filing_page(request: Request, filing_id: str) -> Response:
    """A filing laid out like the form, with its checks and the accept/reject actions."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        checked = _checked_filing_id(filing_id)
        scan_facts, stored = await run_in_threadpool(_load, ctx, session, checked)
        view = _filing_view(scan_facts, stored)
        page = _page(session, console_settings(ctx), view=view, **_flash(request))
        return render("filing.html", page)

    return await _with_session(request, handle, post=False)


def _decide(
    ctx: IntakeContext, session: Session, filing_id: str, status: FilingStatus, reason: str | None
) -> None:
    scan_facts, stored = _load(ctx, session, filing_id)
    review = assess(scan_facts, stored)
    if status is FilingStatus.ACCEPTED and not review.can_accept:
        raise ActionRefusedError(review.accept_blocker)
    if status is FilingStatus.REJECTED and not review.can_reject:
        raise ActionRefusedError("このファイリングは却下できません (cannot be rejected)")
    actor = f"staff:{session.username}"
    now = ctx.now()
    if stored is None and scan_facts is not None:
        store.record_paper_filing(
            ctx.engine,
            filing_id=scan_facts.filing_id,
            filing_json=scan_facts.filing_json,
            filing_sha256=scan_facts.filing_sha256,
            kiosk_id=scan_facts.kiosk_id,
            created_at=scan_facts.created_at,
            kiosk_signature_ok=scan_facts.signature.value == "valid",
            now=now,
            actor=actor,
        )
    try:
        store.set_filing_status(ctx.engine, filing_id, status, actor=actor, reason=reason, now=now)
    except InvalidTransitionError as err:
        raise ActionRefusedError("審査済みです (already decided)") from err
    log.info("filing %s %s by %s", filing_id, status.value, session.username)


@router.post("/filings/{filing_id}/accept")
async def accept(request: Request, filing_id: str) -> Response:
    """仮登録 → 本登録 (only with a valid kiosk signature and a matching or paper-only copy)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        form = await read_form(request, console_settings(ctx).form_max_bytes)
        _check_csrf(request, session, form)
        checked = _checked_filing_id(filing_id)
        await run_in_threadpool(_decide, ctx, session, checked, FilingStatus.ACCEPTED, None)
        return redirect(f"/filings/{checked}?m=accepted")

    return await _with_session(request, handle, post=True)


@router.post("/filings/{filing_id}/reject")
async def reject(request: Request, filing_id: str) -> Response:
    """Reject with a reason (required, plain text)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(ctx)
        form = await read_form(request, settings.form_max_bytes)
        _check_csrf(request, session, form)
        checked = _checked_filing_id(filing_id)
        reason = " ".join(form.get("reason", "").split())
        if not reason:
            raise BadInputError("却下理由を入力してください (a reason is required)")
        if len(reason) > settings.reject_reason_max_chars or CONTROL_RE.search(reason):
            raise BadInputError("却下理由が長すぎるか不正な文字を含みます (reason too long)")
        await run_in_threadpool(_decide, ctx, session, checked, FilingStatus.REJECTED, reason)
        return redirect(f"/filings/{checked}?m=rejected")

    return await _with_session(request, handle, post=True)


# --- search and fleet ----------------------------------------------------------------------


def _day_start_utc(day: date) -> str:
    return stamp(datetime.combine(day, time(0), tzinfo=DISPLAY_TZ))


def search_criteria(
    params: dict[str, str], limit: int
) -> tuple[store.FilingSearch, dict[str, str]]:
    """Validate the search form (dates in the display time zone) into store criteria."""
    query = {
        "date_from": params.get("from", "").strip(),
        "date_to": params.get("to", "").strip(),
        "kiosk_id": params.get("kiosk", "").strip(),
        "status": params.get("status", "").strip(),
    }
    try:
        day_from = date.fromisoformat(query["date_from"]) if query["date_from"] else None
        day_to = date.fromisoformat(query["date_to"]) if query["date_to"] else None
    except ValueError as err:
        raise BadInputError("日付は YYYY-MM-DD で入力してください (dates as YYYY-MM-DD)") from err
    if query["kiosk_id"] and not KIOSK_ID_RE.fullmatch(query["kiosk_id"]):
        raise BadInputError("端末IDが不正です (bad kiosk id)")
    status = None
    if query["status"]:
        try:
            status = FilingStatus(query["status"])
        except ValueError as err:
            raise BadInputError("状態が不正です (bad status)") from err
    criteria = store.FilingSearch(
        received_from=_day_start_utc(day_from) if day_from else None,
        received_to=_day_start_utc(day_to + timedelta(days=1)) if day_to else None,
        kiosk_id=query["kiosk_id"] or None,
        status=status,
        limit=limit,
    )
    return criteria, query


@router.get("/search")
async def search(request: Request) -> Response:
    """Search by received date, kiosk and status."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(ctx)
        criteria, query = search_criteria(dict(request.query_params), settings.search_max_rows)
        rows = await run_in_threadpool(store.search_filings, ctx.engine, criteria)
        kiosks = await run_in_threadpool(store.list_kiosks, ctx.engine)
        page = _page(
            session,
            settings,
            rows=[filing_row(f, _kind_label(f)) for f in rows],
            query=query,
            kiosk_ids=[k.kiosk_id for k in kiosks],
            statuses=[(s.value, STATUS_LABELS[s.value]) for s in FilingStatus],
        )
        return render("search.html", page)

    return await _with_session(request, handle, post=False)


@router.get("/fleet")
async def fleet(request: Request) -> Response:
    """Every kiosk with last contact, backlog and master version."""

    async def handle(_request: Request, session: Session, ctx: IntakeContext) -> Response:
        kiosks = await run_in_threadpool(store.list_kiosks, ctx.engine)
        now = ctx.now()
        page = _page(session, console_settings(ctx), kiosks=[kiosk_row(k, now) for k in kiosks])
        return render("fleet.html", page)

    return await _with_session(request, handle, post=False)


@router.get("/static/{name}")
async def static_file(name: str) -> Response:
    """The console's own CSS and JS (no CDN, no build step)."""
    return secured(assets.response(name))
