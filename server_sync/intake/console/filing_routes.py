"""One filing's page and its state changes, each confirmed on a page of its own.

受付 → 保留 (with a note) → 受理 / 却下. A state change is posted twice: the first post (the
button on the filing page, or Ctrl+Enter for 受理) shows what will happen on a confirmation
page whose button has the focus; the second post (Enter or a click there, ``confirm=1``) does
it. Undo (取消) of this session's own decision works until the filing is exported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from server_sync.intake.context import IntakeContext
from server_sync.intake.records import Filing, FilingStatus

from . import decisions, preferences, seal, states
from .auth import Session
from .card_face_routes import section as card_face_section
from .errors import ActionRefusedError, BadInputError
from .guard import check_csrf, console_settings, flash, page_context, with_session
from .review import LIFTABLE
from .settings import ConsoleSettings
from .web import read_form, redirect, render

router = APIRouter(include_in_schema=False)
Action = Callable[
    [IntakeContext, Session, Mapping[str, str], str, str | None, ConsoleSettings], str
]

CONFIRMED = "1"
#: action → (heading, button text, English button text)
CONFIRM_TEXT = {
    "accept": ("この届出を受理します（住記へ引き渡し可能になります）", "受理を確定する", "Accept"),
    "approve": ("この届出の受理を承認します（1人目）", "承認を確定する", "Approve"),
    "reject": ("この届出を却下します", "却下を確定する", "Reject"),
    "hold": ("この届出を保留にします", "保留を確定する", "Hold"),
    "unhold": ("保留を解除します（受付に戻ります）", "保留解除を確定する", "Release hold"),
    "undo": ("この決定を取り消します（受付に戻ります）", "取消を確定する", "Undo"),
    "identity": ("窓口での本人確認を記録します", "本人確認を記録する", "Record identity check"),
}


def _filing_path(filing_id: str, kiosk_id: str | None, notice: str) -> str:
    """The filing page after an action (with its kiosk: ids are unique per kiosk only)."""
    query = {"m": notice}
    if kiosk_id:
        query["kiosk"] = kiosk_id
    return f"/filings/{filing_id}?{urlencode(query)}"


@router.get("/filings/{filing_id}")
async def filing_page(request: Request, filing_id: str) -> Response:
    """A filing: checks, every finding, the contents, paper differences, history, actions."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        checked = decisions.checked_filing_id(filing_id)
        kiosk = decisions.checked_kiosk(request.query_params.get("kiosk"))
        scan_facts, stored = await run_in_threadpool(decisions.load, ctx, session, checked, kiosk)
        facts = await run_in_threadpool(decisions.facts_of, ctx, session, stored, checked)
        view = decisions.filing_view(
            scan_facts,
            stored,
            facts=facts,
            approvals_needed=console_settings(request).accept_approvals,
            username=session.username,
            now=ctx.now(),
        )
        rows = await run_in_threadpool(decisions.history, ctx, checked) if stored else []
        english = await run_in_threadpool(preferences.show_english, ctx.engine, session.username)
        card_face = await run_in_threadpool(card_face_section, ctx, session, stored)
        card_cert = await run_in_threadpool(seal.section, ctx, session, stored)
        page = page_context(
            session,
            console_settings(request),
            view=view,
            history=rows,
            documents=states.DOCUMENTS,
            show_english=english,
            card_face=card_face,
            card_cert=card_cert,
            **flash(request),
        )
        return render("filing.html", page)

    return await with_session(request, handle, post=False)


async def _confirm_or_do(
    request: Request,
    filing_id: str,
    action: str,
    do: Action,
) -> Response:
    """Show the confirmation page for ``action``, or run ``do(ctx, session, form, checked)``."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:
        settings = console_settings(request)
        form = await read_form(request, settings.form_max_bytes)
        check_csrf(request, session, form)
        checked = decisions.checked_filing_id(filing_id)
        kiosk = decisions.checked_kiosk(form.get("kiosk"))
        if form.get("confirm") != CONFIRMED:
            return await _confirm_page(request, session, ctx, checked, kiosk, action, form)
        notice = await run_in_threadpool(do, ctx, session, form, checked, kiosk, settings)
        return redirect(_filing_path(checked, kiosk, str(notice)))

    return await with_session(request, handle, post=True)


#: form fields carried from the first post to the confirmation
CARRIED = ("reason", "note", "document", "adopt_paper", *seal.FIELDS)


async def _confirm_page(
    request: Request,
    session: Session,
    ctx: IntakeContext,
    checked: str,
    kiosk: str | None,
    action: str,
    form: Mapping[str, str],
) -> Response:
    settings = console_settings(request)
    scan_facts, stored = await run_in_threadpool(decisions.load, ctx, session, checked, kiosk)
    facts = await run_in_threadpool(decisions.facts_of, ctx, session, stored, checked)
    view = decisions.filing_view(
        scan_facts,
        stored,
        facts=facts,
        approvals_needed=settings.accept_approvals,
        username=session.username,
        now=ctx.now(),
    )
    if action == "accept" and settings.accept_approvals > 1 + len(facts.approved_by):
        action = "approve"
    _check_input(action, form, settings.reject_reason_max_chars)
    _check_allowed(action, view)
    if action in ("accept", "approve"):  # the 宛名番号 / 印鑑登録番号 before the confirmation
        source = stored.filing_json if stored else scan_facts.filing_json if scan_facts else ""
        await run_in_threadpool(seal.plan_accept, ctx, stored, source, form)
    heading, button, button_en = CONFIRM_TEXT[action]
    english = await run_in_threadpool(preferences.show_english, ctx.engine, session.username)
    page = page_context(
        session,
        settings,
        view=view,
        action=action,
        post_action=action if action != "approve" else "accept",
        heading=heading,
        button=button,
        button_en=button_en,
        carried={k: form[k] for k in CARRIED if form.get(k)},
        document_label=states.DOCUMENTS.get(form.get("document", ""), ""),
        confirm_page=True,
        show_english=english,
    )
    return render("confirm.html", page)


#: action → the filing view's flag that allows it
ALLOWED_BY = {
    "accept": "can_accept",
    "approve": "can_accept",
    "reject": "can_reject",
    "hold": "can_hold",
    "unhold": "can_hold",
    "undo": "can_undo",
    "identity": "can_check_identity",
}


def _check_allowed(action: str, view: Mapping[str, object]) -> None:
    """No confirmation page for what the filing page would not offer (409, as the action)."""
    if view.get(ALLOWED_BY[action]):
        return
    if action in ("accept", "approve"):
        raise ActionRefusedError(
            str(view.get("accept_blocker") or "審査済みです (already decided)")
        )
    raise ActionRefusedError("この操作はできません (not possible in this state)")


def _check_input(action: str, form: Mapping[str, str], max_reason: int) -> None:
    """Refuse a missing reason/note/document before the confirmation, not after it."""
    if action == "reject":
        decisions.checked_reason(form.get("reason", ""), max_reason)
    elif action == "hold":
        states.checked_note(form.get("note", ""))
    elif action == "identity" and form.get("document", "") not in states.DOCUMENTS:
        raise BadInputError("確認した書類を選んでください (choose the document checked)")


def _stored(ctx: IntakeContext, session: Session, checked: str, kiosk: str | None) -> Filing:
    _scan, stored = decisions.load(ctx, session, checked, kiosk)
    if stored is None:
        raise ActionRefusedError("まだ記録されていない届出です (not recorded yet)")
    return stored


def _accept(
    ctx: IntakeContext,
    session: Session,
    form: Mapping[str, str],
    checked: str,
    kiosk: str | None,
    settings: ConsoleSettings,
) -> str:
    scan_facts, stored = decisions.load(ctx, session, checked, kiosk)
    source = stored.filing_json if stored else scan_facts.filing_json if scan_facts else ""
    plan = seal.plan_accept(ctx, stored, source, form)  # binding numbers checked first
    status = decisions.decide(
        ctx, session, checked, FilingStatus.ACCEPTED, None, settings.accept_approvals, kiosk
    )
    if status is FilingStatus.ACCEPTED:
        seal.apply_accept(ctx, session, plan)
    return "accepted" if status is FilingStatus.ACCEPTED else "approved"


def _reject(
    ctx: IntakeContext,
    session: Session,
    form: Mapping[str, str],
    checked: str,
    kiosk: str | None,
    settings: ConsoleSettings,
) -> str:
    reason = decisions.checked_reason(form.get("reason", ""), settings.reject_reason_max_chars)
    decisions.decide(ctx, session, checked, FilingStatus.REJECTED, reason, 1, kiosk)
    return "rejected"


def _hold(
    ctx: IntakeContext,
    session: Session,
    form: Mapping[str, str],
    checked: str,
    kiosk: str | None,
    settings: ConsoleSettings,
) -> str:
    del settings
    note = states.checked_note(form.get("note", ""))
    states.hold(ctx, session, _stored(ctx, session, checked, kiosk), note)
    return "held"


def _unhold(
    ctx: IntakeContext,
    session: Session,
    form: Mapping[str, str],
    checked: str,
    kiosk: str | None,
    settings: ConsoleSettings,
) -> str:
    del settings
    del form
    states.hold(ctx, session, _stored(ctx, session, checked, kiosk), None)
    return "unheld"


def _undo(
    ctx: IntakeContext,
    session: Session,
    form: Mapping[str, str],
    checked: str,
    kiosk: str | None,
    settings: ConsoleSettings,
) -> str:
    del settings
    del form
    stored = _stored(ctx, session, checked, kiosk)
    states.undo(ctx, session, stored)
    seal.after_undecided(ctx, session, checked, stored.kiosk_id or "")  # its binding ends
    return "undone"


def _identity(
    ctx: IntakeContext,
    session: Session,
    form: Mapping[str, str],
    checked: str,
    kiosk: str | None,
    settings: ConsoleSettings,
) -> str:
    del settings
    scan_facts, stored = decisions.load(ctx, session, checked, kiosk)
    facts = decisions.facts_of(ctx, session, stored, checked)
    review, _found, _model = decisions.review_of(scan_facts, stored, facts, ctx.now())
    if review.blocker_code not in LIFTABLE:
        raise ActionRefusedError("本人確認で解消できる状態ではありません (nothing to check)")
    states.check_identity(
        ctx,
        session,
        scan_facts,
        stored,
        document=form.get("document", ""),
        reasons=[review.blocker_code],
        adopt_paper=form.get("adopt_paper") == CONFIRMED,
    )
    return "identity"


ACTIONS = {
    "accept": _accept,
    "reject": _reject,
    "hold": _hold,
    "unhold": _unhold,
    "undo": _undo,
    "identity": _identity,
}


def _route(action: str) -> None:
    async def endpoint(request: Request, filing_id: str) -> Response:
        return await _confirm_or_do(request, filing_id, action, ACTIONS[action])

    endpoint.__name__ = f"filing_{action}"
    endpoint.__doc__ = f"{CONFIRM_TEXT[action][2]}: a confirmation page, then the change."
    router.add_api_route(f"/filings/{{filing_id}}/{action}", endpoint, methods=["POST"])


for _action in ACTIONS:
    _route(_action)
