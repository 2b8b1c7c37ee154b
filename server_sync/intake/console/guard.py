"""Request guards of the console: settings, the session behind the cookie, CSRF and origin."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from server_sync.errors import ConfigError
from server_sync.intake.context import IntakeContext, context_of

from . import csrf
from .auth import SESSION_COOKIE, Authenticator, Session, throttle_policy
from .errors import ConsoleError, CsrfError
from .roles import Permission, allowed, require
from .settings import ENV_PREFIX, ConsoleSettings
from .throttle import LoginThrottle
from .web import PREFIX, clear_cookie, error_response, json_response, redirect, wants_json

log = logging.getLogger(__name__)

EXTRA_PREFIX = "CONSOLE_"
FLASH = {
    "accepted": ("受理しました（住記へ引き渡し可） / Accepted: released for 住記", "ok"),
    "rejected": ("却下しました / Rejected", "ok"),
    "approved": (
        "承認しました。もう1人の承認で受理になります / Approved; a second person accepts",
        "ok",
    ),
    "reopened": ("審査をやり直します（受付に戻しました） / Reopened", "ok"),
    "held": ("保留にしました / On hold", "ok"),
    "unheld": ("保留を解除しました / Hold released", "ok"),
    "undone": ("決定を取り消しました（受付に戻しました） / Decision undone", "ok"),
    "identity": ("窓口での本人確認を記録しました / Identity check recorded", "ok"),
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

Handler = Callable[[Request, Session, IntakeContext], Awaitable[Response]]


def configure(ctx: IntakeContext, environ: Mapping[str, str]) -> ConsoleSettings:
    """Settings from ``KIOSK_CONSOLE_*`` environment values, overridden by ``extra`` keys."""
    values = {
        key.removeprefix(ENV_PREFIX).lower(): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX)
    }
    values.update(ctx.settings.extra)
    try:
        return ConsoleSettings.from_mapping(values, prefix=EXTRA_PREFIX)
    except ValueError as err:  # a typo in the environment: a clear message, no traceback
        raise ConfigError(f"console setting: {err}") from err


def console_settings(request: Request) -> ConsoleSettings:
    """The settings fixed by :func:`configure` when the console was installed."""
    settings = getattr(request.app.state, "console_settings", None)
    if isinstance(settings, ConsoleSettings):
        return settings
    return ConsoleSettings.from_mapping(context_of(request).settings.extra, prefix=EXTRA_PREFIX)


def authenticator(
    ctx: IntakeContext, settings: ConsoleSettings, throttle: LoginThrottle | None = None
) -> Authenticator:
    """The session authority for this app (on the app's clock)."""
    return Authenticator(
        ctx.engine, settings, clock=lambda: int(ctx.now().timestamp()), throttle=throttle
    )


def login_throttle(request: Request) -> LoginThrottle:
    """The app's one login throttle (made by ``install``; made here for a bare router)."""
    throttle = getattr(request.app.state, "login_throttle", None)
    if not isinstance(throttle, LoginThrottle):
        throttle = LoginThrottle(throttle_policy(console_settings(request)))
        request.app.state.login_throttle = throttle
    return throttle


def login_source(request: Request) -> str:
    """Where a login comes from (the peer address; behind a proxy, the proxy's)."""
    return request.client.host if request.client is not None else "unknown"


def require_permission(session: Session, permission: Permission) -> None:
    """403 forbidden unless the session's role allows ``permission``."""
    require(session.role, permission)


async def current_session(request: Request) -> Session | None:
    """The live session of this request's cookie, if any."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    auth = authenticator(context_of(request), console_settings(request))
    return await run_in_threadpool(auth.session, token)


def flash_for(key: str) -> dict[str, str]:
    """Template variables for a one-line notice named by ``key`` (unknown keys: none)."""
    text, kind = FLASH.get(key, ("", ""))
    return {"message": text, "message_kind": kind}


def flash(request: Request) -> dict[str, str]:
    """The notice named by the ``m`` query parameter (after a redirect)."""
    return flash_for(request.query_params.get("m", ""))


def page_context(session: Session, settings: ConsoleSettings, **extra: Any) -> dict[str, Any]:
    """What every logged-in page's template needs, plus ``extra``."""
    base: dict[str, Any] = {
        "session": session,
        "max_part_chars": settings.scan_max_part_chars,
        "max_reason_chars": settings.reject_reason_max_chars,
        "session_idle_s": settings.session_idle_s,
        "progress_text": "",
        "can_export": allowed(session.role, Permission.EXPORT),
        "can_reopen": allowed(session.role, Permission.REOPEN),
        "can_manage_staff": allowed(session.role, Permission.MANAGE_STAFF),
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


def check_origin(request: Request) -> None:
    """Refuse a state-changing request whose Origin/Referer names another site."""
    if not csrf.origin_allowed(
        request.headers.get("origin"), request.headers.get("referer"), request.headers.get("host")
    ):
        raise CsrfError("cross-site request refused")


def check_csrf(request: Request, session: Session, form: Mapping[str, str]) -> None:
    """Require the session's CSRF token in the X-CSRF-Token header or the form."""
    presented = request.headers.get(csrf.CSRF_HEADER) or form.get(csrf.CSRF_FIELD)
    if not csrf.tokens_match(session.csrf_token, presented):
        raise CsrfError("missing or wrong CSRF token; reload the page")


async def with_session(request: Request, handler: Handler, *, post: bool) -> Response:
    """Run ``handler`` for a logged-in clerk; typed errors become pages or JSON, never 500s."""
    session = await current_session(request)
    if session is None:
        return _not_logged_in(request)
    try:
        if post:
            check_origin(request)
        return await handler(request, session, context_of(request))
    except ConsoleError as err:
        log.info("console refused: %s", err.code)
        return error_response(request, err, page_context(session, console_settings(request)))
