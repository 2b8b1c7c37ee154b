"""受付 → 保留 (with a note) → 受理 / 却下: holds, undo in the same session, identity checks.

* 保留: a 受付 filing with a note (columns ``held_*``, migration 0500); audited.
* Undo: the clerk who decided may take the decision back in the same login session until the
  filing is exported (``exported_at``, migration 0510); audited as a reopen.
* 窓口で本人確認: for an unknown kiosk, an untrusted certificate or a paper that differs, the
  clerk records which document was checked (audited, with what it overrides); when the paper
  differs the paper's values can be adopted (the posted envelope keeps what was sent).
"""

from __future__ import annotations

import hashlib
import json
import logging

from sqlalchemy import text

from server_sync.intake import store
from server_sync.intake.context import IntakeContext
from server_sync.intake.errors import InvalidTransitionError
from server_sync.intake.records import Filing, FilingStatus
from server_sync.intake.store import search_index

from .auth import Session
from .compare import differences
from .errors import ActionRefusedError, BadInputError
from .review import ScanFacts
from .roles import Permission, require

log = logging.getLogger(__name__)

DECIDED_ACTIONS = frozenset({"filing.accepted", "filing.rejected"})
IDENTITY_ACTION = "filing.identity_checked"
CORRECTED_ACTION = "filing.corrected_from_paper"
UNDONE_ACTION = "filing.undone"
REOPENED_ACTION = "filing.reopened"
#: identity documents a clerk can check at the counter
DOCUMENTS = {
    "mynumber_card": "マイナンバーカード",
    "driver_licence": "運転免許証",
    "residence_card": "在留カード",
    "passport": "旅券（パスポート）",
    "other": "その他の公的書類",
}
NOTE_MAX_CHARS = 200
_MARK_CHARS = 16


def session_mark(session: Session) -> str:
    """A stable, non-secret mark of this login session for the audit (hash of the token hash)."""
    return hashlib.sha256(session.token_hash.encode()).hexdigest()[:_MARK_CHARS]


def checked_note(raw: str, what: str = "保留理由") -> str:
    """A one-line note: required, bounded, no control characters."""
    note = " ".join(raw.split())
    if not note:
        raise BadInputError(f"{what}を入力してください (a note is required)")
    if len(note) > NOTE_MAX_CHARS or any(ord(c) < 0x20 or ord(c) == 0x7F for c in note):
        raise BadInputError(f"{what}が長すぎるか不正な文字を含みます (note too long)")
    return note


def hold(ctx: IntakeContext, session: Session, stored: Filing, note: str | None) -> None:
    """Put a 受付 filing on hold (保留) with a note, or release the hold (``note`` None)."""
    require(session.role, Permission.REVIEW)
    if stored.status is not FilingStatus.RECEIVED:
        raise ActionRefusedError("審査済みです (already decided)")
    done = search_index.set_hold(
        ctx.engine,
        stored.filing_id,
        stored.kiosk_id or "",
        note=note,
        actor=f"staff:{session.username}",
        now=ctx.now(),
    )
    if not done:
        raise ActionRefusedError("審査済みです (already decided)")
    log.info("filing %s hold %s by %s", stored.filing_id, note is not None, session.username)


def exported(ctx: IntakeContext, stored: Filing) -> bool:
    """True once the filing was exported (part B's ``exported_at``)."""
    with ctx.engine.connect() as conn:
        row = conn.execute(
            text("SELECT exported_at FROM filings WHERE filing_id = :f AND kiosk_id = :k"),
            {"f": stored.filing_id, "k": stored.kiosk_id or ""},
        ).first()
    return row is not None and row.exported_at is not None


def can_undo(ctx: IntakeContext, session: Session, stored: Filing | None) -> bool:
    """The decision was this session's own, and the filing is not exported yet."""
    if stored is None or stored.status not in (FilingStatus.ACCEPTED, FilingStatus.REJECTED):
        return False
    last = None
    for entry in store.list_audit(ctx.engine, subject_type="filing", subject_id=stored.filing_id):
        if entry.action in DECIDED_ACTIONS:
            last = entry
    if last is None or last.actor != f"staff:{session.username}":
        return False
    try:
        detail = json.loads(last.detail or "{}")
    except ValueError:
        return False
    mine = isinstance(detail, dict) and detail.get("session") == session_mark(session)
    return mine and not exported(ctx, stored)


def undo(ctx: IntakeContext, session: Session, stored: Filing) -> None:
    """Take this session's decision back (until exported): the filing is 受付 again."""
    require(session.role, Permission.REVIEW)
    if not can_undo(ctx, session, stored):
        raise ActionRefusedError("取り消せません（別のセッションの決定か出力済み） (cannot undo)")
    try:
        store.reopen_filing(
            ctx.engine,
            stored.filing_id,
            actor=f"staff:{session.username}",
            now=ctx.now(),
            kiosk_id=stored.kiosk_id,
        )
    except InvalidTransitionError as err:
        raise ActionRefusedError("審査中の届出です (not decided yet)") from err
    with ctx.engine.begin() as conn:
        store.write_audit(
            conn,
            actor=f"staff:{session.username}",
            action=UNDONE_ACTION,
            subject_type="filing",
            subject_id=stored.filing_id,
            detail={"kiosk_id": stored.kiosk_id, "from": stored.status.value},
        )
    log.info("filing %s undone by %s", stored.filing_id, session.username)


def identity_checked(ctx: IntakeContext, filing_id: str) -> str:
    """Who checked identity at the counter since the filing was last reopened ('' if nobody)."""
    who = ""
    for entry in store.list_audit(ctx.engine, subject_type="filing", subject_id=filing_id):
        if entry.action == REOPENED_ACTION:
            who = ""
        elif entry.action == IDENTITY_ACTION:
            who = entry.actor.removeprefix("staff:")
    return who


def check_identity(
    ctx: IntakeContext,
    session: Session,
    scan_facts: ScanFacts | None,
    stored: Filing | None,
    *,
    document: str,
    reasons: list[str],
    adopt_paper: bool,
) -> None:
    """Record the counter identity check; with ``adopt_paper`` store the paper's values."""
    require(session.role, Permission.REVIEW)
    if document not in DOCUMENTS:
        raise BadInputError("確認した書類を選んでください (choose the document checked)")
    if stored is not None and stored.status is not FilingStatus.RECEIVED:
        raise ActionRefusedError("審査済みです (already decided)")
    fields = ""
    if adopt_paper and scan_facts is not None and stored is not None:
        fields = ",".join(d.path for d in differences(scan_facts.filing_json, stored.filing_json))
    source = stored if stored is not None else scan_facts
    if source is None:
        raise ActionRefusedError("該当する届出がありません (no such filing)")
    filing_id = source.filing_id
    actor = f"staff:{session.username}"
    with ctx.engine.begin() as conn:
        if fields and scan_facts is not None and stored is not None:
            conn.execute(
                text(
                    "UPDATE filings SET filing_json = :j, filing_sha256 = :h, member_count = NULL"
                    " WHERE filing_id = :f AND kiosk_id = :k AND status = :s"
                ),
                {
                    "j": scan_facts.filing_json,
                    "h": scan_facts.filing_sha256,
                    "f": stored.filing_id,
                    "k": stored.kiosk_id or "",
                    "s": FilingStatus.RECEIVED.value,
                },
            )
            store.write_audit(
                conn,
                actor=actor,
                action=CORRECTED_ACTION,
                subject_type="filing",
                subject_id=filing_id,
                detail={"fields": fields[:1000], "kiosk_id": stored.kiosk_id},
            )
        store.write_audit(
            conn,
            actor=actor,
            action=IDENTITY_ACTION,
            subject_type="filing",
            subject_id=filing_id,
            detail={
                "document": document,
                "reasons": ",".join(reasons),
                "adopted_paper": bool(fields),
            },
        )
    log.info("filing %s identity checked by %s", filing_id, session.username)
