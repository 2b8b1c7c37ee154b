"""The clerk console's card-face section: preview, 「券面印刷」 to the CUPS queue, the job's state.

Shown on the page of an accepted move filing with card-face work (one row per card). Printing
renders the card (:mod:`.render`), sends it with Print-Job (:mod:`.ipp`) and records an audit
row ``card_face.printed`` with the job id and queue (no personal data); the page asks CUPS for
each recorded job's state (Get-Job-Attributes) when it is shown.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FilingFormatError
from kiosk.forms.model import Filing as FilingModel
from server_sync.intake import store
from server_sync.intake.cardface import ipp
from server_sync.intake.cardface.errors import CardFaceError
from server_sync.intake.cardface.render import checked_options, render_png
from server_sync.intake.cardface.settings import CardFaceSettings, load_settings
from server_sync.intake.cardface.targets import CardFaceJob, card_face_jobs, job_for
from server_sync.intake.context import IntakeContext
from server_sync.intake.records import Filing, FilingStatus

from . import decisions
from .auth import Session
from .errors import ActionRefusedError, BadInputError
from .guard import check_csrf, console_settings, require_permission, with_session
from .roles import Permission
from .views import short_time
from .web import PREFIX, read_form, redirect, secured

log = logging.getLogger(__name__)
router = APIRouter(prefix=PREFIX, include_in_schema=False)

PRINTED_ACTION = "card_face.printed"
PNG = "image/png"
#: the page asks CUPS for each job's state: a dead CUPS must not stall it
STATUS_TIMEOUT_S = 2.0
REPRINT = "1"
#: job-state → what the page shows (Japanese / English)
STATE_TEXT = {
    ipp.JobState.PENDING: ("待機中", "pending"),
    ipp.JobState.PENDING_HELD: ("保留中", "pending"),
    ipp.JobState.PROCESSING: ("印刷中", "processing"),
    ipp.JobState.PROCESSING_STOPPED: ("停止（プリンタを確認してください）", "stopped"),
    ipp.JobState.CANCELED: ("取消済み", "aborted"),
    ipp.JobState.ABORTED: ("中止", "aborted"),
    ipp.JobState.COMPLETED: ("完了", "completed"),
}
UNKNOWN_STATE = ("状態不明（プリンタに接続できません）", "unknown")


@dataclass(frozen=True, slots=True)
class PrintRow:
    """One card on the page: whose, which card, the last job sent for it."""

    key: str
    member_index: int
    name: str
    card_label: str
    job_id: int | None
    state: str  # pending / processing / completed / aborted / unknown / "" (never printed)
    state_ja: str
    printed_by: str
    printed_at: str


def _model(stored: Filing) -> FilingModel | None:
    try:
        return filing_from_json(stored.filing_json)
    except FilingFormatError:
        return None


def _last_jobs(ctx: IntakeContext, stored: Filing) -> dict[str, dict[str, Any]]:
    """The newest recorded print per card key of this filing (this kiosk's copy)."""
    last: dict[str, dict[str, Any]] = {}
    for entry in store.list_audit(ctx.engine, subject_type="filing", subject_id=stored.filing_id):
        if entry.action != PRINTED_ACTION:
            continue
        detail = json.loads(entry.detail or "{}")
        if detail.get("kiosk_id") != stored.kiosk_id:
            continue
        last[str(detail.get("print"))] = {**detail, "by": entry.actor, "at": entry.at}
    return last


def _state(queue: str, job_id: int, user: str) -> tuple[str, str]:
    try:
        status = ipp.job_status(queue, job_id, user=user, timeout_s=STATUS_TIMEOUT_S)
    except CardFaceError as err:
        log.info("card-face job %s: no state: %s", job_id, err.code)
        return UNKNOWN_STATE
    return STATE_TEXT[status.state]


def section(ctx: IntakeContext, session: Session, stored: Filing | None) -> dict[str, Any] | None:
    """What ``_card_face.html`` shows for this filing (None: no card-face work or not accepted)."""
    if stored is None or stored.status is not FilingStatus.ACCEPTED:
        return None
    model = _model(stored)
    if model is None:
        return None
    settings = load_settings(ctx.settings.data_dir)
    jobs = card_face_jobs(model, settings)
    if not jobs:
        return None
    last = _last_jobs(ctx, stored)
    rows: list[PrintRow] = []
    for job in jobs:
        sent = last.get(job.key)
        job_id = int(sent["job_id"]) if sent else None
        state_ja, state = ("", "")
        if sent is not None and job_id is not None:
            state_ja, state = _state(str(sent.get("queue", "")), job_id, session.username)
        rows.append(
            PrintRow(
                key=job.key,
                member_index=job.member_index,
                name=model.members[job.member_index].name,
                card_label=job.card.label_ja,
                job_id=job_id,
                state=state,
                state_ja=state_ja,
                printed_by=str(sent["by"]).removeprefix("staff:") if sent else "",
                printed_at=short_time(str(sent["at"])) if sent else "",
            )
        )
    return {
        "rows": rows,
        "queue": settings.cups_queue,
        "first_line": settings.first_line,
        "font_pt": settings.font_pt,
        # a query that differs on every page: the same URL with only a #fragment would just scroll
        "refresh": time.time_ns(),
    }


def _number(form: Mapping[str, str], name: str, kind: type[int] | type[float]) -> Any:
    raw = form.get(name, "").strip()
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError as err:
        raise BadInputError(f"{name}: 数値を入力してください (a number)") from err


def _job(
    ctx: IntakeContext, session: Session, filing_id: str, kiosk: str | None, key: str
) -> tuple[Filing, CardFaceJob, CardFaceSettings]:
    _scan, stored = decisions.load(ctx, session, filing_id, kiosk)
    if stored is None or stored.status is not FilingStatus.ACCEPTED:
        raise ActionRefusedError("受理済みの届出だけ券面印刷できます (accepted filings only)")
    model = _model(stored)
    settings = load_settings(ctx.settings.data_dir)
    if model is None:
        raise ActionRefusedError("届出内容を読めません (filing unreadable)")
    try:
        return stored, job_for(model, settings, key), settings
    except CardFaceError as err:
        raise ActionRefusedError("この券面印刷はありません (no such card-face print)") from err


def _print(
    ctx: IntakeContext, session: Session, filing_id: str, form: Mapping[str, str], key: str
) -> None:
    stored, job, settings = _job(
        ctx, session, filing_id, decisions.checked_kiosk(form.get("kiosk")), key
    )
    if not settings.cups_queue:
        raise ActionRefusedError("券面プリンタが設定されていません (no card-face printer queue)")
    if job.key in _last_jobs(ctx, stored) and form.get("reprint") != REPRINT:
        raise ActionRefusedError(
            "この券面は印刷済みです。再印刷するときは「再印刷する」を選んでください"
            " (already printed: tick reprint)"
        )
    try:
        options = checked_options(
            settings, _number(form, "first_line", int), _number(form, "font_pt", float)
        )
        image = render_png(job, settings, options)
        job_id = ipp.print_job(
            settings.cups_queue,
            image,
            job_name=f"card-face {filing_id[:8]} {job.key}",
            user=session.username,
            ppi=settings.dpi,
        )
    except CardFaceError as err:
        raise ActionRefusedError(
            f"券面印刷できません (card-face print failed): {err.detail}"
        ) from err
    with ctx.engine.begin() as conn:
        store.write_audit(
            conn,
            actor=f"staff:{session.username}",
            action=PRINTED_ACTION,
            subject_type="filing",
            subject_id=stored.filing_id,
            detail={
                "kiosk_id": stored.kiosk_id,
                "print": job.key,
                "job_id": job_id,
                "queue": settings.cups_queue,
                "first_line": options.first_line,
                "font_pt": str(options.font_pt),
            },
        )
    log.info("card-face print %s of filing %s sent as job %d", job.key, filing_id, job_id)


@router.post("/filings/{filing_id}/card-face/{key}/print")
async def print_card_face(request: Request, filing_id: str, key: str) -> Response:
    """「券面印刷」: render this card's 追記 and send it to the configured CUPS queue."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        require_permission(session, Permission.REVIEW)
        form = await read_form(request, console_settings(request).form_max_bytes)
        check_csrf(request, session, form)
        checked = decisions.checked_filing_id(filing_id)
        await run_in_threadpool(_print, ctx, session, checked, form, key)
        kiosk = decisions.checked_kiosk(form.get("kiosk"))
        query = f"?kiosk={kiosk}" if kiosk else ""
        return redirect(f"/filings/{checked}{query}#card-face")

    return await with_session(request, handle, post=True)


@router.get("/filings/{filing_id}/card-face/{key}.png")
async def preview_card_face(request: Request, filing_id: str, key: str) -> Response:
    """The card image as it would print (the ward's first line and font size)."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        checked = decisions.checked_filing_id(filing_id)
        kiosk = decisions.checked_kiosk(request.query_params.get("kiosk"))

        def draw() -> bytes:
            _stored, job, settings = _job(ctx, session, checked, kiosk, key)
            try:
                return render_png(job, settings, checked_options(settings, None, None))
            except CardFaceError as err:
                raise ActionRefusedError(f"券面を描けません: {err.detail}") from err

        return secured(Response(await run_in_threadpool(draw), media_type=PNG))

    return await with_session(request, handle, post=False)
