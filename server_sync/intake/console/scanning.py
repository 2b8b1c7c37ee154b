"""Scanned QR parts per console session: collect in any order, then verify the whole payload.

Parts are kept server-side (per session, deleted with the session) so a reload or a second
browser tab does not lose progress, and so every decision re-verifies what was scanned.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Engine, text

from kiosk.forms.codec import canonical_bytes
from kiosk.forms.errors import PayloadError
from kiosk.forms.payload import (
    PART_PREFIX,
    DecodedPayload,
    Part,
    PartCollector,
    SignatureStatus,
    decode_binary,
    parse_part,
)
from server_sync.envelope import KIOSK_ID_RE
from server_sync.intake import store
from server_sync.intake.clock import stamp, stamp_seconds, utc_now
from server_sync.intake.sanity import (
    FilingDateError,
    FilingInvalidError,
    check_dates,
    check_moment,
    check_rules,
)
from server_sync.intake.store.audit import write_audit

from .auth import Session
from .errors import BadScanError
from .review import KioskSignature, ScanFacts
from .settings import ConsoleSettings

PART_SEPARATOR = "\n"
SCANNED_ACTION = "filing.scanned"

#: clerk-facing texts for the payload module's stable reasons
REASON_TEXT = {
    "not_a_part": "窓口用QRコードではありません (not a kiosk filing code)",
    "part_checksum": "読み取りが不完全です。再度読み取ってください (incomplete read, scan again)",
    "incomplete_read": (
        "読み取り不完全：コードの一部しか読み取れませんでした。もう一度読み取ってください"
        " (incomplete read: only part of the code arrived, scan it again)"
    ),
    "part_conflict": "同じ番号の別のコードです (a different code with the same number)",
    "reassembly_mismatch": "コードの組み合わせが合いません (parts do not belong together)",
    "undecodable": "内容を解読できません（改ざんの疑い） (undecodable: possibly tampered)",
    "truncated": "内容が短すぎます (truncated)",
    "unsupported_version": "対応していない形式です (unsupported version)",
    "bad_body": "内容が不正です (malformed contents)",
    "bad_filing": "届出内容が不正です (malformed filing)",
    "too_large": "内容が大きすぎます (too large)",
    "bad_date": "日付が受付できる範囲外です (a date is out of range)",
    "invalid_filing": "届出内容が受付基準を満たしません (the filing fails validation)",
}


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """What one scanned part achieved."""

    have: int
    total: int
    filing_id: str | None
    message: str


def _progress_message(have: int, total: int, missing: list[int]) -> str:
    rest = ", ".join(str(i) for i in missing)
    return f"{have}/{total} 読み取り済み（残り: {rest}） / {have} of {total} scanned"


def _bad(err: PayloadError) -> BadScanError:
    return BadScanError(REASON_TEXT.get(err.reason, "読み取れません (unreadable)"))


#: what every kiosk code starts with: text that starts so but does not parse was cut short
KIOSK_CODE_START = PART_PREFIX + ":"


def _parse_scanned(cleaned: str) -> Part:
    """parse_part, telling a half-read kiosk code (読み取り不完全) from text that is none."""
    try:
        return parse_part(cleaned)
    except PayloadError as err:
        if err.reason == "not_a_part" and cleaned.startswith(KIOSK_CODE_START):
            raise _bad(PayloadError("incomplete_read", "kiosk code cut short")) from err
        raise _bad(err) from err


class OtherFilingScanError(BadScanError):
    """A different filing's code arrived while another filing's parts were being collected."""

    code = "scan_other_filing"
    status = 409

    def __init__(self, have: int, total: int) -> None:
        super().__init__(
            f"別の届出のコードです。読み取り中の届出（{have}/{total} 読み取り済み）を破棄して"
            "新しい届出を読み取りますか？ (a different filing's code: discard the"
            f" {have} of {total} parts read so far and start the new one?)"
        )
        self.have = have
        self.total = total


def _pending(conn: Connection, session: Session) -> list[str]:
    rows = conn.execute(
        text("SELECT part FROM console_scan_parts WHERE token_hash = :h ORDER BY added_at"),
        {"h": session.token_hash},
    )
    return [str(r[0]) for r in rows]


def _collector(parts: list[str]) -> PartCollector:
    collector = PartCollector()
    for part in parts:
        collector.add(part)
    return collector


def _decode(binary: bytes, keys: list[Ed25519PublicKey] | None) -> DecodedPayload:
    """decode_binary, with hostile input's stray exceptions turned into PayloadError."""
    try:
        return decode_binary(binary, trusted_keys=keys)
    except (RecursionError, OverflowError) as err:
        raise PayloadError("bad_filing", err.__class__.__name__) from None


def _revalidate(decoded: DecodedPayload, now: datetime) -> None:
    """The intake's own checks of what the paper says (dates, the kiosk's validation rules)."""
    try:
        check_moment(decoded.created_at, now)
        check_dates(decoded.filing, now)
        check_rules(decoded.filing, now)
    except FilingDateError as err:
        raise PayloadError("bad_date", err.detail) from None
    except FilingInvalidError as err:
        raise PayloadError("invalid_filing", err.detail) from None


def verify_binary(engine: Engine, binary: bytes, now: datetime | None = None) -> ScanFacts:
    """Decode the payload, re-validate it and check its signature against the kiosk's key."""
    unchecked = _decode(binary, None)
    _revalidate(unchecked, now or utc_now())
    if not KIOSK_ID_RE.fullmatch(unchecked.kiosk_id):
        raise PayloadError("bad_body", "kiosk id has an invalid form")
    kiosk = store.get_kiosk(engine, unchecked.kiosk_id)
    if kiosk is None:
        signature = KioskSignature.UNKNOWN_KIOSK
        decoded = unchecked
    else:
        # the key valid when the paper was signed: a re-enrolled kiosk's older paper verifies
        history = store.kiosk_keys_at(engine, kiosk.kiosk_id, stamp(unchecked.created_at))
        keys = [Ed25519PublicKey.from_public_bytes(raw) for raw in history or [kiosk.public_key]]
        decoded = _decode(binary, keys)
        if decoded.signature is not SignatureStatus.VALID:
            signature = KioskSignature.INVALID
        elif kiosk.revoked:
            signature = KioskSignature.REVOKED_KIOSK
        else:
            signature = KioskSignature.VALID
    filing_bytes = canonical_bytes(decoded.filing)
    return ScanFacts(
        filing_id=decoded.filing_id,
        kiosk_id=decoded.kiosk_id,
        key_id=decoded.key_id,
        created_at=stamp_seconds(decoded.created_at),
        signature=signature,
        filing_json=filing_bytes.decode("utf-8"),
        filing_sha256=hashlib.sha256(filing_bytes).hexdigest(),
    )


def normalise_scan(typed: str) -> str:
    """Undo what keyboard input can do to a part: full-width (IME on), lower case, whitespace."""
    return unicodedata.normalize("NFKC", typed).strip().upper()


def submit_part(
    engine: Engine,
    session: Session,
    part: str,
    settings: ConsoleSettings,
    now: int,
    *,
    discard: bool = False,
) -> ScanOutcome:
    """Add one scanned part; when the set is complete, verify it and keep it for review.

    A part of another filing while one is half read raises :class:`OtherFilingScanError`
    (nothing changes) unless ``discard`` confirms that the first filing's parts may go.
    """
    cleaned = normalise_scan(part)
    if not cleaned:
        raise BadScanError("コードが空です (empty scan)")
    if len(cleaned) > settings.scan_max_part_chars:
        raise BadScanError("コードが長すぎます (code too long)")
    new = _parse_scanned(cleaned)
    # SQLite transactions here are BEGIN IMMEDIATE: never hold one while the store opens another
    with engine.connect() as conn:
        pending = _pending(conn, session)
    restart = bool(pending) and parse_part(pending[0]).group != new.group
    if restart and not discard:
        earlier = _collector(pending)
        have = (earlier.total or 0) - len(earlier.missing())
        raise OtherFilingScanError(have, earlier.total or 0)
    if restart:
        pending = []  # a different paper, confirmed: start over with this one
    try:
        collector = _collector(pending)
        added = collector.add(cleaned)
    except PayloadError as err:
        raise _bad(err) from err
    total = collector.total or new.total
    if not collector.complete:
        if added and len(pending) >= settings.scan_max_parts:
            raise BadScanError("コードが多すぎます (too many parts)")
        with engine.begin() as conn:
            if restart:
                _clear_pending(conn, session)
            if added:
                conn.execute(
                    text(
                        "INSERT INTO console_scan_parts (token_hash, part_sha256, part, added_at)"
                        " VALUES (:h, :s, :p, :t)"
                    ),
                    {
                        "h": session.token_hash,
                        "s": hashlib.sha256(cleaned.encode("ascii")).hexdigest(),
                        "p": cleaned,
                        "t": now,
                    },
                )
        have = total - len(collector.missing())
        return ScanOutcome(have, total, None, _progress_message(have, total, collector.missing()))
    try:
        facts = verify_binary(engine, collector.binary(), datetime.fromtimestamp(now, UTC))
    except PayloadError as err:
        with engine.begin() as conn:
            _clear_pending(conn, session)
        raise _bad(err) from err
    with engine.begin() as conn:
        _clear_pending(conn, session)
        write_audit(  # the summary's scan → decision time starts here (no personal data)
            conn,
            actor=f"staff:{session.username}",
            action=SCANNED_ACTION,
            subject_type="filing",
            subject_id=facts.filing_id,
            detail={"kiosk_id": facts.kiosk_id},
        )
        conn.execute(
            text("DELETE FROM console_scans WHERE token_hash = :h AND filing_id = :f"),
            {"h": session.token_hash, "f": facts.filing_id},
        )
        conn.execute(
            text(
                "INSERT INTO console_scans (token_hash, filing_id, parts, scanned_at)"
                " VALUES (:h, :f, :p, :t)"
            ),
            {
                "h": session.token_hash,
                "f": facts.filing_id,
                "p": PART_SEPARATOR.join([*pending, cleaned]),
                "t": now,
            },
        )
    return ScanOutcome(total, total, facts.filing_id, "読み取り完了 / complete")


def _clear_pending(conn: Connection, session: Session) -> None:
    conn.execute(
        text("DELETE FROM console_scan_parts WHERE token_hash = :h"), {"h": session.token_hash}
    )


def pending_progress(engine: Engine, session: Session) -> ScanOutcome | None:
    """Progress of an incomplete multi-part scan in this session, if any."""
    with engine.connect() as conn:
        pending = _pending(conn, session)
    if not pending:
        return None
    try:
        collector = _collector(pending)
    except PayloadError:
        return None
    total = collector.total or 0
    have = total - len(collector.missing())
    return ScanOutcome(have, total, None, _progress_message(have, total, collector.missing()))


def load_scan(
    engine: Engine, session: Session, filing_id: str, now: datetime | None = None
) -> ScanFacts | None:
    """Re-verify the complete scan of this filing made in this session (None if not scanned)."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT parts FROM console_scans WHERE token_hash = :h AND filing_id = :f"),
            {"h": session.token_hash, "f": filing_id},
        ).first()
    if row is None:
        return None
    try:
        binary = _collector(str(row[0]).split(PART_SEPARATOR)).binary()
        return verify_binary(engine, binary, now)
    except PayloadError:
        return None
