"""Console pages of the card as 印鑑登録証: the bindings list (search, end) and CRL state."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from server_sync.intake.bindings import crl as crl_store
from server_sync.intake.bindings import store as bindings
from server_sync.intake.bindings.errors import BindingError
from server_sync.intake.context import IntakeContext

from . import preferences
from .auth import Session
from .errors import ActionRefusedError, BadInputError
from .guard import check_csrf, console_settings, page_context, require_permission, with_session
from .roles import Permission
from .seal import binding_row
from .views import short_time
from .web import PREFIX, read_form, redirect, render

router = APIRouter(prefix=PREFIX, include_in_schema=False)

LIST_LIMIT = 200
MAX_QUERY_CHARS = 64
#: where the end form may send the clerk back to (console-relative)
BACK_PREFIXES = ("/filings/", "/seal-bindings")
ENDED_NOTICE = "seal_ended"


def _search(ctx: IntakeContext, query: str) -> list[bindings.Binding]:
    """Bindings whose 宛名番号, 印鑑登録番号 or serial equals ``query`` (newest first)."""
    wanted = query.strip().lower().removeprefix("0x")
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT binding_id FROM seal_bindings WHERE resident_id = :q OR seal_number = :q"
                " OR cert_serial = :s ORDER BY created_at DESC LIMIT :n"
            ),
            {"q": query.strip(), "s": wanted, "n": LIST_LIMIT},
        ).all()
    found = [bindings.get_binding(ctx.engine, str(r[0])) for r in rows]
    return [b for b in found if b is not None]


@router.get("/seal-bindings")
async def bindings_page(request: Request) -> Response:
    """Find bindings by 宛名番号 / 印鑑登録番号 / serial; end one; the imported CRLs."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        query = request.query_params.get("q", "")[:MAX_QUERY_CHARS]
        found = await run_in_threadpool(_search, ctx, query) if query.strip() else []
        crls = await run_in_threadpool(crl_store.stored_crls, ctx.engine)
        english = await run_in_threadpool(preferences.show_english, ctx.engine, session.username)
        now = ctx.now()
        page = page_context(
            session,
            console_settings(request),
            query=query,
            rows=[binding_row(b, now) for b in found],
            crls=[
                {
                    "issuer": c.issuer,
                    "number": c.crl_number,
                    "this_update": short_time(c.this_update),
                    "next_update": short_time(c.next_update),
                    "revoked": c.revoked,
                    "imported_at": short_time(c.imported_at),
                }
                for c in crls
            ],
            reasons=[(r.value, bindings.END_LABELS[r]) for r in bindings.CLERK_REASONS],
            ended=request.query_params.get("m") == ENDED_NOTICE,
            show_english=english,
        )
        return render("seal_bindings.html", page)

    return await with_session(request, handle, post=False)


def _back(raw: str, binding_id: str) -> str:
    if raw.startswith(BACK_PREFIXES) and "//" not in raw and "\\" not in raw:
        sep = "&" if "?" in raw else "?"
        return f"{raw}{sep}{urlencode({'m': ENDED_NOTICE})}"
    return f"/seal-bindings?{urlencode({'q': binding_id, 'm': ENDED_NOTICE})}"


@router.post("/seal-bindings/{binding_id}/end")
async def end_binding(request: Request, binding_id: str) -> Response:
    """End an active binding: 死亡 / 印鑑登録廃止 / 入力誤り (the reason is required)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        form = await read_form(request, settings.form_max_bytes)
        check_csrf(request, session, form)
        require_permission(session, Permission.REVIEW)
        try:
            reason = bindings.EndReason(form.get("reason", ""))
        except ValueError as err:
            raise BadInputError("終了の理由を選んでください (choose the reason)") from err
        if reason not in bindings.CLERK_REASONS:
            raise BadInputError("終了の理由を選んでください (choose the reason)")
        try:
            await run_in_threadpool(
                lambda: bindings.end_binding(
                    ctx.engine, binding_id, reason, actor=f"staff:{session.username}", now=ctx.now()
                )
            )
        except BindingError as err:
            raise ActionRefusedError("この連携は既に終了しています (not active)") from err
        return redirect(_back(form.get("back", ""), binding_id))

    return await with_session(request, handle, post=True)
