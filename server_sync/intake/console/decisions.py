"""One filing: load what was posted and what was scanned, lay it out, accept or reject it."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FormsError
from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import Filing as FilingModel
from kiosk.forms.model import FilingKind
from server_sync.envelope import KIOSK_ID_RE
from server_sync.intake import store
from server_sync.intake.context import IntakeContext
from server_sync.intake.errors import InvalidTransitionError
from server_sync.intake.errors import NotFoundError as IntakeNotFoundError
from server_sync.intake.records import Filing, FilingStatus
from server_sync.intake.sanity import ward_today
from server_sync.intake.store import search_index

from . import scanning, sheet, states
from .auth import Session
from .compare import differences
from .errors import ActionRefusedError, BadInputError, NotFoundError
from .messages import split_detail
from .review import LIFTABLE, CopyMatch, KioskSignature, Review, ScanFacts, assess
from .roles import Permission, require
from .sheet import FindingView
from .views import STATUS_LABELS, HistoryRow, actor_label, history_rows, short_time

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


@dataclass(frozen=True, slots=True)
class Facts:
    """What the page and the decision rules know beyond the two copies."""

    approved_by: tuple[str, ...] = ()
    identity_by: str = ""
    held: tuple[str, str, str] | None = None  # (note, by, at)
    can_undo: bool = False


def _parsed(source_json: str) -> FilingModel | None:
    try:
        return filing_from_json(source_json)
    except (FormsError, ValueError, OverflowError, RecursionError):
        return None


def _findings(model: FilingModel | None, now: datetime) -> tuple[FindingView, ...]:
    if model is None:
        return ()
    try:
        return sheet.findings(model, ward_today(model, now))
    except (ValueError, OverflowError, TypeError):  # a stored oddity never breaks the page
        return ()


def review_of(
    scan_facts: ScanFacts | None, stored: Filing | None, facts: Facts, now: datetime
) -> tuple[Review, tuple[FindingView, ...], FilingModel | None]:
    """The review rules with the shared validation's findings and the identity check."""
    source = scan_facts if scan_facts is not None else stored
    model = _parsed(source.filing_json) if source is not None else None
    found = _findings(model, now)
    review = assess(
        scan_facts,
        stored,
        identity_checked=bool(facts.identity_by),
        errors=sum(f.severity == "error" for f in found),
        warnings=sum(f.severity == "warning" for f in found),
    )
    return review, found, model


def filing_view(
    scan_facts: ScanFacts | None,
    stored: Filing | None,
    *,
    facts: Facts | None = None,
    approvals_needed: int = 1,
    username: str = "",
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything the filing page shows (the scanned copy's contents when there is one)."""
    facts = facts or Facts()
    moment = now or datetime.now(UTC)
    review, found, model = review_of(scan_facts, stored, facts, moment)
    source = scan_facts if scan_facts is not None else stored
    if source is None:
        raise NotFoundError("no such filing")
    form = sheet.sheet(model, ward_today(model, moment)) if model is not None else None
    status = stored.status.value if stored is not None else "unrecorded"
    if status == FilingStatus.RECEIVED.value and facts.held is not None:
        status = "held"
    diffs = (
        differences(scan_facts.filing_json, stored.filing_json)
        if scan_facts is not None and stored is not None and review.copy is CopyMatch.DIFFERS
        else ()
    )
    return {
        "filing_id": source.filing_id,
        "receipt_no": receipt_label(source.filing_id),
        "kiosk_id": source.kiosk_id,
        "created_at": short_time(source.created_at),
        "received_at": short_time(stored.received_at) if stored else "",
        "status": status,
        "status_label": STATUS_LABELS[status],
        "kind_label": model.kind.label_ja if model is not None else "?",
        "form": form,
        "findings": found,
        "errors": sum(f.severity == "error" for f in found),
        "warnings": sum(f.severity == "warning" for f in found),
        "differences": diffs,
        "checks": review.checks,
        "can_accept": review.can_accept and username not in facts.approved_by,
        "approvals": list(facts.approved_by),
        "approvals_needed": approvals_needed,
        "accept_blocker": review.accept_blocker,
        "accept_blocker_ja": split_detail("action_refused", review.accept_blocker).ja,
        "accept_blocker_en": split_detail("action_refused", review.accept_blocker).en,
        "blocker_code": review.blocker_code,
        "can_check_identity": review.blocker_code in LIFTABLE and not facts.identity_by,
        "identity_by": facts.identity_by,
        "can_reject": review.can_reject,
        "can_hold": stored is not None and stored.status is FilingStatus.RECEIVED,
        "held": facts.held,
        "held_at": short_time(facts.held[2]) if facts.held else "",
        "can_undo": facts.can_undo,
        "reject_reason": stored.reject_reason if stored else None,
        "decided_by": actor_label(stored.decided_by) if stored and stored.decided_by else "",
        "decided_at": short_time(stored.decided_at) if stored and stored.decided_at else "",
    }


def receipt_label(filing_id: str) -> str:
    """The 受付番号 as read aloud (``ABCD-EFGH``); empty for an id that is not ASCII."""
    try:
        return receipt_number_display(receipt_number(filing_id))
    except (UnicodeEncodeError, ValueError):
        return ""


def facts_of(ctx: IntakeContext, session: Session, stored: Filing | None, filing_id: str) -> Facts:
    """Approvals, identity check, hold and undo of a filing (nothing for an unrecorded one)."""
    identity = states.identity_checked(ctx, filing_id)
    if stored is None:
        return Facts(identity_by=identity)
    return Facts(
        approved_by=tuple(approvals(ctx, filing_id)),
        identity_by=identity,
        held=search_index.hold_of(ctx.engine, stored.filing_id, stored.kiosk_id or ""),
        can_undo=states.can_undo(ctx, session, stored),
    )


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
    approval (audited, the filing stays 受付); a second, different person accepts it.
    Returns the status the filing has now.
    """
    require(session.role, Permission.REVIEW)
    scan_facts, stored = load(ctx, session, filing_id, kiosk_id)
    facts = Facts(identity_by=states.identity_checked(ctx, filing_id))
    review, _found, _model = review_of(scan_facts, stored, facts, ctx.now())
    kiosk = stored.kiosk_id if stored is not None else scan_facts.kiosk_id if scan_facts else None
    if status is FilingStatus.ACCEPTED and not review.can_accept:
        raise ActionRefusedError(review.accept_blocker)
    if status is FilingStatus.REJECTED and not review.can_reject:
        raise ActionRefusedError("この届出は却下できません (cannot be rejected)")
    actor = f"staff:{session.username}"
    now = ctx.now()
    if stored is None and scan_facts is not None:
        stored, _new = store.record_paper_filing(
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
        decided = store.set_filing_status(
            ctx.engine,
            filing_id,
            status,
            actor=actor,
            reason=reason,
            now=now,
            kiosk_id=kiosk,
            session_mark=states.session_mark(session),
        )
    except InvalidTransitionError as err:
        raise ActionRefusedError("審査済みです (already decided)") from err
    search_index.clear_hold(ctx.engine, filing_id, decided.kiosk_id or "")
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
