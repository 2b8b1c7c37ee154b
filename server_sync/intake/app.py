"""The app factory: ``create_app(settings) -> FastAPI`` (no import-time globals)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server_sync.envelope import format_timestamp
from server_sync.errors import ClockSkewError, EnvelopeError
from server_sync.intake.bindings import api as seal_bindings_api
from server_sync.intake.clock import utc_now
from server_sync.intake.context import Clock, IntakeContext
from server_sync.intake.db import migrate, open_engine
from server_sync.intake.errors import ENVELOPE_STATUS, IntakeError
from server_sync.intake.openapi import install_openapi
from server_sync.intake.routes import filings, kiosks, master
from server_sync.intake.settings import IntakeSettings
from server_sync.intake.store.group_commit import GroupCommitter
from server_sync.intake.verify import load_roots

log = logging.getLogger(__name__)

#: the console plugs in through ``install(app: FastAPI, ctx: IntakeContext) -> None`` here
CONSOLE_MODULE = "server_sync.intake.console"
#: HSTS on every answer over TLS (a year; the console and the kiosk API are HTTPS-only then)
HSTS_HEADER = "Strict-Transport-Security"
HSTS_VALUE = "max-age=31536000"
HSTS_RAW = (HSTS_HEADER.lower().encode("latin-1"), HSTS_VALUE.encode("latin-1"))
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 400: "bad_request", 401: "unauthorized"}


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


async def _intake_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, IntakeError):  # pragma: no cover
        raise exc
    log.info("%s %s refused: %s", request.method, request.url.path, exc.code)
    return _error(exc.status, exc.code, exc.detail)


async def _envelope_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, EnvelopeError):  # pragma: no cover
        raise exc
    log.info("%s %s refused: %s", request.method, request.url.path, exc.code)
    answer = _error(ENVELOPE_STATUS.get(exc.code, 400), exc.code, exc.detail)
    if isinstance(exc, ClockSkewError) and exc.server_time is not None:
        # the kiosk shows its clock offset to staff (a Pi has no RTC and may run before NTP)
        body = {"error": exc.code, "detail": exc.detail}
        body["server_time"] = format_timestamp(exc.server_time)
        answer = JSONResponse(body, status_code=answer.status_code)
    return answer


async def _validation_error(_request: Request, _exc: Exception) -> JSONResponse:
    return _error(400, "bad_request", "request parameters are invalid")


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):  # pragma: no cover
        raise exc
    code = HTTP_CODES.get(exc.status_code, "http_error")
    return _error(exc.status_code, code, str(exc.detail))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed: %s", request.method, request.url.path, type(exc).__name__)
    return _error(500, "internal", "internal error")


class HstsMiddleware:
    """Pure ASGI: add Strict-Transport-Security to every HTTP answer sent over TLS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HSTS_HEADER] = HSTS_VALUE
            await send(message)

        await self.app(scope, receive, send_with_hsts)


def is_filing_post(scope: Scope) -> bool:
    """Whether an ASGI scope is ``POST /api/v1/filings`` (the fast path's request)."""
    return (
        scope["type"] == "http"
        and scope["method"] == "POST"
        and scope["path"] == filings.FILINGS_PATH
        and not scope.get("root_path")
    )


class FilingFastPath:
    """Pure ASGI: ``POST /api/v1/filings`` goes straight to its handler.

    The filing POST is the intake's hot path; FastAPI's middleware stack, router and endpoint
    machinery cost ~10 % of its CPU (profiled). Here the same handler runs with the same error
    answers (the app's exception handlers) and HSTS; the route stays declared, so the OpenAPI
    document is unchanged, and every other request takes the normal stack. :class:`IntakeApp`
    calls :meth:`handle` before any of FastAPI's own layers (error, telemetry and body-limit
    middleware, each a frame and a wrapped ``send`` per request).
    """

    def __init__(self, ctx: IntakeContext) -> None:
        self.ctx = ctx

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one filing POST (the caller checked :func:`is_filing_post`)."""
        request = Request(scope, receive)
        answer: filings.FilingAnswer | JSONResponse
        try:
            answer = await filings.handle_filing_post(self.ctx, request, filings.FILINGS_PATH)
        except ClientDisconnect:  # the kiosk went away mid-body: nobody to answer
            return
        except IntakeError as exc:
            answer = await _intake_error(request, exc)
        except EnvelopeError as exc:
            answer = await _envelope_error(request, exc)
        except Exception as exc:  # same answer as the app's last-resort handler
            answer = await _unexpected(request, exc)
        if isinstance(answer, filings.FilingAnswer):  # stored or duplicate: sent as is
            headers = (
                [*answer.headers, HSTS_RAW] if scope.get("scheme") == "https" else answer.headers
            )
            await send({"type": "http.response.start", "status": answer.status, "headers": headers})
            await send({"type": "http.response.body", "body": answer.body})
            return
        if scope.get("scheme") == "https":
            answer.headers[HSTS_HEADER] = HSTS_VALUE
        await answer(scope, receive, send)


class IntakeApp(FastAPI):
    """FastAPI with the filing POST's fast path in front of its whole stack."""

    filing_fast_path: FilingFastPath | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fast = self.filing_fast_path
        if fast is not None and is_filing_post(scope):
            scope["app"] = self
            await fast.handle(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _install_console(app: FastAPI, ctx: IntakeContext) -> None:
    try:
        console = importlib.import_module(CONSOLE_MODULE)
    except ModuleNotFoundError as err:
        if err.name != CONSOLE_MODULE:  # a broken console must fail loudly, not vanish
            raise
        return
    install: Any = getattr(console, "install", None)
    if callable(install):
        install(app, ctx)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    ctx = app.state.intake
    if isinstance(ctx, IntakeContext):
        stats = ctx.filings.stats()
        # operators tune workers and disks with this (how many filings share an fsync)
        log.info(
            "group commit: %d filings in %d commits (mean batch %.1f, largest %d)",
            stats.filings,
            stats.commits,
            stats.mean_batch,
            stats.largest_batch,
        )
        ctx.filings.close()
        ctx.engine.dispose()


def create_app(settings: IntakeSettings, *, clock: Clock = utc_now) -> FastAPI:
    """Open and migrate the database, load the JPKI roots, wire routes and error handlers."""
    engine = open_engine(settings.db_url)
    migrate(engine)
    ctx = IntakeContext(
        settings=settings,
        engine=engine,
        roots=tuple(load_roots(settings.jpki_trust_dir)),
        now=clock,
        filings=GroupCommitter(engine),
    )
    app = IntakeApp(
        title="Kiosk central intake",
        version="1",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
        # no OpenTelemetry here: FastAPI's per-request provider lookups cost ~4 % of a filing
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.intake = ctx
    app.add_middleware(HstsMiddleware)
    app.filing_fast_path = FilingFastPath(ctx)  # in front of every middleware (IntakeApp)
    app.add_exception_handler(IntakeError, _intake_error)
    app.add_exception_handler(EnvelopeError, _envelope_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)

    @app.get("/healthz", tags=["health"], summary="Liveness")
    async def healthz() -> dict[str, str]:
        """Liveness probe (no authentication, no data)."""
        return {"status": "ok"}

    app.include_router(filings.router)
    app.include_router(kiosks.router)
    app.include_router(master.router)
    app.include_router(seal_bindings_api.router)
    _install_console(app, ctx)
    install_openapi(app)
    return app
