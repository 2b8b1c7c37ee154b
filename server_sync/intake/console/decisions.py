"""One filing: load what was posted and what was scanned, lay it out, accept or reject it."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FormsError
from kiosk.forms.model import FilingKind
from server_sync.envelope import KIOSK_ID_RE
from server_sync.intake import store
from server_sync.intake.context import IntakeContext
from server_sync.intake.errors import InvalidTransitionError
from server_sync.intake.errors import NotFoundError as IntakeNotFoundError
from server_sync.intake.records import Filing, FilingStatus

from . import scanning
from .auth import Session
from .errors import ActionRefusedError, BadInputError, NotFoundError
from .review import KioskSignature, ScanFacts, assess
from .roles import Permission, require
from .views import STATUS_LABELS, HistoryRow, actor_label, form_view, history_rows, short_time

log = logging.getLogger(__name__)

FILING_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def kind_label(filing: Filing) -> str:
    """The Japanese kind of a stored filing (``?`` if its JSON is unreadable)."""
    try:
        raw = json.loads(filing.filing_json)
        return FilingKind(raw["kind"]).label_ja
    except (ValueError, KeyError, TypeError, RecursionError):
        return "?"


def checked_filing_id(filing_id: str) -> str:
    """A filing id from a URL, or NotFoundError for anything not shaped like a UUID."""
    if not FILING_ID_RE.fullmatch(filing_id):
        raise NotFoundError("no such filing")
    return filing_id


def checked_reason(raw: str, max_chars: int) -> str:
    """A rejection reason: required, one line, bounded, no control characters."""
    reason = " ".join(raw.split())
    if not reason:
        raise BadInputError("却下理由を入力してください (a reason is required)")
    if len(reason) > max_chars or CONTROL_RE.search(reason):
        raise BadInputError("却下理由が長すぎるか不正な文字を含みます (reason too long)")
    return reason


def history(ctx: IntakeContext, filing_id: str) -> list[HistoryRow]:
    """The filing's audit entries for the history table."""
    return history_rows(store.list_audit(ctx.engine, subject_type="filing", subject_id=filing_id))


def checked_kiosk(raw: str | None) -> str | None:
    """A kiosk id from a link or form (empty: none), or NotFoundError for a malformed one."""
    if not raw:
        return None
    if not KIOSK_ID_RE.fullmatch(raw):
        raise NotFoundError("no such filing")
    return raw


def load(
    ctx: IntakeContext, session: Session, filing_id: str, kiosk_id: str | None = None
) -> tuple[ScanFacts | None, Filing | None]:
    """The re-verified scan of this session and the stored row; NotFoundError if neither.

    Filings are matched by kiosk and id together (ids are unique per kiosk only): the paper's
    kiosk picks the posted copy, or ``kiosk_id`` from the link when nothing was scanned.
    """
    scan_facts = scanning.load_scan(ctx.engine, session, filing_id, ctx.now())
    if scan_facts is not None and kiosk_id is not None and scan_facts.kiosk_id != kiosk_id:
        scan_facts = None  # the paper scanned is another kiosk's filing with this id
    kiosk = kiosk_id or (scan_facts.kiosk_id if scan_facts is not None else None)
    stored = store.get_filing(ctx.engine, filing_id, kiosk)
    if stored is None and scan_facts is None:
        raise NotFoundError("no such filing (not posted, not scanned in this session)")
    return scan_facts, stored


APPROVED_ACTION = "filing.approved"
REOPENED_ACTION = "filing.reopened"


def approvals(ctx: IntakeContext, filing_id: str) -> list[str]:
    """Staff who approved the filing since it was last (re)opened, in order (4-eyes rule)."""
    names: list[str] = []
    for entry in store.list_audit(ctx.engine, subject_type="filing", subject_id=filing_id):
        if entry.action == REOPENED_ACTION:
            names = []
        elif entry.action == APPROVED_ACTION and entry.actor not in names:
            names.append(entry.actor)
    return [name.removeprefix("staff:") for name in names]


def filing_view(
    scan_facts: ScanFacts | None,
    stored: Filing | None,
    *,
    approved_by: list[str] | None = None,
    approvals_needed: int = 1,
    username: str = "",
) -> dict[str, Any]:
    """Everything the filing page shows (the scanned copy's contents when there is one)."""
    review = assess(scan_facts, stored)
    approved_by = approved_by or []
    source = scan_facts if scan_facts is not None else stored
    if source is None:
        raise NotFoundError("no such filing")
    try:
        model = filing_from_json(source.filing_json)
        form, kind = form_view(model), model.kind.label_ja
    except (FormsError, ValueError, OverflowError, RecursionError):  # render what is stored
        form, kind = None, "?"
    status = stored.status.value if stored is not None else "unrecorded"
    return {
        "filing_id": source.filing_id,
        "kiosk_id": source.kiosk_id,
        "created_at": short_time(source.created_at),
        "received_at": short_time(stored.received_at) if stored else "",
        "status": status,
        "status_label": STATUS_LABELS[status],
        "kind_label": kind,
        "form": form,
        "checks": review.checks,
        "can_accept": review.can_accept and username not in approved_by,
        "approvals": approved_by,
        "approvals_needed": approvals_needed,
        "accept_blocker": review.accept_blocker,
        "can_reject": review.can_reject,
        "reject_reason": stored.reject_reason if stored else None,
        "decided_by": actor_label(stored.decided_by) if stored and stored.decided_by else "",
        "decided_at": short_time(stored.decided_at) if stored and stored.decided_at else "",
    }


def decide(
    ctx: IntakeContext,
    session: Session,
    filing_id: str,
    status: FilingStatus,
    reason: str | None,
    approvals_needed: int = 1,
    kiosk_id: str | None = None,
) -> FilingStatus:
    """Accept or reject after re-checking; a paper-only filing is recorded first (source paper).

    With the ward's 4-eyes rule (``approvals_needed`` 2) an accept by the first person is an
    approval (audited, the filing stays 仮登録); a second, different person accepts it.
    Returns the status the filing has now.
    """
    require(session.role, Permission.REVIEW)
    scan_facts, stored = load(ctx, session, filing_id, kiosk_id)
    review = assess(scan_facts, stored)
    kiosk = stored.kiosk_id if stored is not None else scan_facts.kiosk_id if scan_facts else None
    if status is FilingStatus.ACCEPTED and not review.can_accept:
        raise ActionRefusedError(review.accept_blocker)
    if status is FilingStatus.REJECTED and not review.can_reject:
        raise ActionRefusedError("この届出は却下できません (cannot be rejected)")
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
            kiosk_signature_ok=scan_facts.signature is KioskSignature.VALID,
            now=now,
            actor=actor,
        )
    if status is FilingStatus.ACCEPTED and approvals_needed > 1:
        approved_by = approvals(ctx, filing_id)
        if session.username in approved_by:
            raise ActionRefusedError(
                "別の職員の承認が必要です (a second, different person must approve)"
            )
        if len(approved_by) + 1 < approvals_needed:
            with ctx.engine.begin() as conn:
                store.write_audit(
                    conn,
                    actor=actor,
                    action=APPROVED_ACTION,
                    subject_type="filing",
                    subject_id=filing_id,
                    detail={"approvals": len(approved_by) + 1, "needed": approvals_needed},
                )
            log.info("filing %s approved by %s", filing_id, session.username)
            return FilingStatus.RECEIVED
    try:
        store.set_filing_status(
            ctx.engine, filing_id, status, actor=actor, reason=reason, now=now, kiosk_id=kiosk
        )
    except InvalidTransitionError as err:
        raise ActionRefusedError("審査済みです (already decided)") from err
    log.info("filing %s %s by %s", filing_id, status.value, session.username)
    return status


def reopen(
    ctx: IntakeContext, session: Session, filing_id: str, kiosk_id: str | None = None
) -> None:
    """A supervisor puts a decided filing back to 仮登録 (audited; approvals start over)."""
    require(session.role, Permission.REOPEN)
    try:
        store.reopen_filing(
            ctx.engine,
            filing_id,
            actor=f"staff:{session.username}",
            now=ctx.now(),
            kiosk_id=kiosk_id,
        )
    except InvalidTransitionError as err:
        raise ActionRefusedError("審査中の届出です (not decided yet)") from err
    except IntakeNotFoundError as err:
        raise NotFoundError("no such filing") from err
    log.info("filing %s reopened by %s", filing_id, session.username)
