"""View models: a filing laid out like the paper form, rows for lists and the fleet table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from server_sync.intake.records import AuditEntry, Filing, FilingSource, FilingStatus, Kiosk

STATUS_LABELS: dict[str, str] = {
    FilingStatus.RECEIVED.value: "受付",
    "held": "保留",
    FilingStatus.ACCEPTED.value: "受理",
    FilingStatus.REJECTED.value: "却下",
    "unrecorded": "未登録（紙のみ）",
}
SOURCE_LABELS = {FilingSource.POSTED.value: "送信", FilingSource.PAPER.value: "紙"}
ACTION_JA = {
    "filing.received": "受付",
    "filing.accepted": "受理（住記へ引き渡し可）",
    "filing.approved": "受理を承認（1人目）",
    "filing.reopened": "審査やり直し",
    "filing.rejected": "却下",
    "filing.held": "保留",
    "filing.unheld": "保留解除",
    "filing.undone": "決定の取消",
    "filing.identity_checked": "窓口で本人確認",
    "filing.corrected_from_paper": "紙の内容で訂正",
    "filing.exported": "住記用に出力",
    "card_face.printed": "券面印刷",
}
#: audit rows that only support another row (not shown in the history)
HIDDEN_ACTIONS: frozenset[str] = frozenset()
ACTOR_JA = {"kiosk": "端末", "staff": "職員"}
STALE_CONTACT = timedelta(hours=1)
NO_VALUE = "—"
MAX_SHOWN_STAMP_CHARS = 40
MAX_SHOWN_NAME_CHARS = 40
RECEIPT_CHARS = 8
#: times are stored in UTC and shown in Japan time
DISPLAY_TZ = timezone(timedelta(hours=9), "JST")


@dataclass(frozen=True, slots=True)
class FilingRow:
    """One row of a filing list."""

    filing_id: str
    received_at: str
    created_at: str
    kiosk_id: str | None
    kind: str
    status: str
    status_label: str
    source_label: str
    receipt_no: str = ""
    name: str = ""
    member_count: int = 0


@dataclass(frozen=True, slots=True)
class KioskRow:
    """One row of the fleet table."""

    kiosk_id: str
    last_contact: str
    backlog: str
    dead: str
    master_version: str
    app_version: str
    health: str
    health_label: str


def short_time(stamp: str | None) -> str:
    """``2026-11-27T01:00:00.123Z`` → ``2026-11-27 10:00`` (Japan time); empty → —."""
    if not stamp:
        return NO_VALUE
    moment = _parse_stamp(stamp)
    if moment is None:
        return NO_VALUE
    try:
        return moment.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, ValueError):  # stored before the intake checked ranges: show as is
        return stamp[:MAX_SHOWN_STAMP_CHARS]


def filing_row(
    filing: Filing,
    kind_label: str,
    *,
    receipt_no: str = "",
    member_count: int = 0,
    held: bool = False,
) -> FilingRow:
    """A stored filing as a list row (氏名 of the first member, 受付番号, how many move)."""
    status = "held" if held and filing.status is FilingStatus.RECEIVED else filing.status.value
    shown = f"{receipt_no[:4]}-{receipt_no[4:]}" if len(receipt_no) == RECEIPT_CHARS else ""
    return FilingRow(
        filing_id=filing.filing_id,
        received_at=short_time(filing.received_at),
        created_at=short_time(filing.created_at),
        kiosk_id=filing.kiosk_id,
        kind=kind_label,
        status=status,
        status_label=STATUS_LABELS[status],
        source_label=SOURCE_LABELS[filing.source.value],
        receipt_no=shown,
        name=first_name(filing.filing_json),
        member_count=member_count,
    )


def first_name(filing_json: str) -> str:
    """The first member's name (the list shows who came), ``—`` if unreadable."""
    try:
        members = json.loads(filing_json).get("members") or []
        return str(members[0]["name"])[:MAX_SHOWN_NAME_CHARS] or NO_VALUE
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return NO_VALUE


def _parse_stamp(stamp: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _stale(now: datetime, contact: datetime) -> bool:
    try:
        return now.astimezone(UTC) - contact.astimezone(UTC) > STALE_CONTACT
    except (OverflowError, ValueError):
        return True


def kiosk_row(kiosk: Kiosk, now: datetime) -> KioskRow:
    """A kiosk as a fleet row with a health verdict (revoked / stale / ok / never seen)."""
    contact = _parse_stamp(kiosk.last_contact_at) if kiosk.last_contact_at else None
    if kiosk.revoked:
        health, label = "revoked", "失効"
    elif contact is None:
        health, label = "stale", "未通信"
    elif _stale(now, contact):
        health, label = "stale", "通信途絶"
    elif kiosk.dead:
        health, label = "stale", "送信不能あり"
    else:
        health, label = "ok", "正常"
    return KioskRow(
        kiosk_id=kiosk.kiosk_id,
        last_contact=short_time(kiosk.last_contact_at),
        backlog=NO_VALUE if kiosk.backlog is None else str(kiosk.backlog),
        dead=NO_VALUE if kiosk.dead is None else str(kiosk.dead),
        master_version=kiosk.master_version or NO_VALUE,
        app_version=kiosk.app_version or NO_VALUE,
        health=health,
        health_label=label,
    )


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One audit entry of a filing, for the history table."""

    at: str
    actor: str
    action: str


def history_rows(entries: list[AuditEntry]) -> list[HistoryRow]:
    """A filing's audit entries in time order, labelled in Japanese."""
    return [
        HistoryRow(short_time(e.at), actor_label(e.actor), ACTION_JA.get(e.action, e.action))
        for e in entries
        if e.action not in HIDDEN_ACTIONS
    ]


def actor_label(actor: str) -> str:
    """``staff:clerk1`` → ``職員 clerk1``, ``kiosk:k-01`` → ``端末 k-01``."""
    kind, _, name = actor.partition(":")
    return f"{ACTOR_JA[kind]} {name}" if kind in ACTOR_JA and name else actor
