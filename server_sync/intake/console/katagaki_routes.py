"""The console's list of new 方書 candidates: confirm (or correct) into the master, or dismiss."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from server_sync.intake.context import IntakeContext
from server_sync.intake.katagaki.candidates import list_candidates
from server_sync.intake.katagaki.decisions import (
    AlreadyDecidedError,
    Decision,
    KatagakiInputError,
    decide,
    parse_key,
    recent_decisions,
)

from . import preferences
from .auth import Session
from .errors import ActionRefusedError, BadInputError
from .guard import check_csrf, console_settings, page_context, require_permission, with_session
from .roles import Permission
from .views import short_time
from .web import PREFIX, read_form, redirect, render

router = APIRouter(prefix=PREFIX, include_in_schema=False)
NOTICES = {
    "confirmed": "方書マスターに登録しました（次回のマスター配信で端末に反映されます）",
    "dismissed": "候補から外しました",
}


@router.get("/katagaki")
async def katagaki_page(request: Request) -> Response:
    """Candidates (address, typed text, how many filings) and the latest decisions."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        candidates = await run_in_threadpool(list_candidates, ctx.engine)
        decided = await run_in_threadpool(recent_decisions, ctx.engine)
        english = await run_in_threadpool(preferences.show_english, ctx.engine, session.username)
        for row in decided:
            row["decided_at"] = short_time(row["decided_at"])
            row["decided_by"] = row["decided_by"].split(":", 1)[-1]
        page = page_context(
            session,
            console_settings(request),
            candidates=candidates,
            decided=decided,
            notice=NOTICES.get(request.query_params.get("m", ""), ""),
            show_english=english,
        )
        return render("katagaki.html", page)

    return await with_session(request, handle, post=False)


@router.post("/katagaki/decide")
async def katagaki_decide(request: Request) -> Response:
    """Confirm (name and reading as corrected by the clerk) or dismiss one candidate."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        form = await read_form(request, console_settings(request).form_max_bytes)
        check_csrf(request, session, form)
        require_permission(session, Permission.REVIEW)
        try:
            decision = Decision(form.get("decision", ""))
            key = parse_key(form.get("key", ""))
            await run_in_threadpool(
                lambda: decide(
                    ctx.engine, key, decision, name=form.get("name", ""),
                    kana=form.get("kana", ""), address=form.get("address", ""),
                    actor=f"staff:{session.username}", now=ctx.now(),
                )
            )  # fmt: skip
        except KatagakiInputError as err:
            raise BadInputError(err.detail) from err
        except ValueError as err:
            if isinstance(err, AlreadyDecidedError):
                raise ActionRefusedError("既に他の職員が処理しました (already decided)") from err
            raise BadInputError("確定か却下を選んでください (confirm or dismiss)") from err
        return redirect(f"/katagaki?m={decision.value}")

    return await with_session(request, handle, post=True)
