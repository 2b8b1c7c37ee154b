"""View models: a filing laid out like the paper form, rows for lists and the fleet table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from kiosk.forms.model import Filing as FilingModel
from kiosk.forms.model import HouseholdMode
from server_sync.intake.records import AuditEntry, Filing, FilingSource, FilingStatus, Kiosk

STATUS_LABELS: dict[str, str] = {
    FilingStatus.RECEIVED.value: "仮登録",
    FilingStatus.ACCEPTED.value: "本登録",
    FilingStatus.REJECTED.value: "却下",
    "unrecorded": "未登録（紙のみ）",
}
SOURCE_LABELS = {FilingSource.POSTED.value: "送信", FilingSource.PAPER.value: "紙"}
ANSWER_JA = {"yes": "はい", "no": "いいえ", "unsure": "窓口で確認"}
ACTION_JA = {
    "filing.received": "受付（仮登録）",
    "filing.accepted": "本登録",
    "filing.approved": "本登録を承認（1人目）",
    "filing.reopened": "審査やり直し",
    "filing.rejected": "却下",
}
ACTOR_JA = {"kiosk": "端末", "staff": "職員"}
STALE_CONTACT = timedelta(hours=1)
NO_VALUE = "—"
MAX_SHOWN_STAMP_CHARS = 40
#: times are stored in UTC and shown in Japan time
DISPLAY_TZ = timezone(timedelta(hours=9), "JST")


@dataclass(frozen=True, slots=True)
class MemberView:
    """One line of the household table."""

    name: str
    furigana: str
    birth_date: str
    sex: str
    relationship: str
    from_chip: bool


@dataclass(frozen=True, slots=True)
class FormView:
    """The form's fields as (label, English label, value) plus the members table."""

    fields: tuple[tuple[str, str, str], ...]
    members: tuple[MemberView, ...]


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


def form_view(filing: FilingModel) -> FormView:
    """Lay out a parsed filing like the printed form."""
    household = filing.household
    fields: list[tuple[str, str, str]] = [
        ("異動の種類", "Kind", filing.kind.label_ja),
        ("届出日", "Notified on", filing.notified_on.isoformat()),
        ("異動日", "Moved on", filing.moved_on.isoformat()),
        ("新住所", "New address", filing.new_address.display()),
        ("旧住所", "Old address", filing.old_address.display() if filing.old_address else NO_VALUE),
        ("世帯主", "Head of household", filing.head_name or NO_VALUE),
        (
            "世帯",
            "Household",
            "一部（既存世帯に加入）" if household.mode is HouseholdMode.JOIN else "全部",
        ),
        ("届出人", "Filer", f"{filing.filer.name}（{filing.filer.standing.label_ja}）"),
        ("電話番号", "Phone", filing.phone or NO_VALUE),
        ("利用言語", "Visit language", filing.language),
    ]
    tasks = sorted({task.label_ja for m in filing.members for task in m.card_tasks})
    fields.append(("カード手続", "Card tasks", "、".join(tasks) or NO_VALUE))
    related = [f"{a.procedure.label_ja}: {ANSWER_JA[a.answer.value]}" for a in filing.related]
    fields.append(("関連手続", "Related procedures", "、".join(related) or NO_VALUE))
    members = tuple(
        MemberView(
            name=m.name,
            furigana=m.furigana,
            birth_date=m.birth_date.isoformat(),
            sex=m.sex.label_ja,
            relationship=m.relationship.display,
            from_chip=m.from_chip,
        )
        for m in filing.members
    )
    return FormView(tuple(fields), members)


def filing_row(filing: Filing, kind_label: str) -> FilingRow:
    """A stored filing as a list row."""
    return FilingRow(
        filing_id=filing.filing_id,
        received_at=short_time(filing.received_at),
        created_at=short_time(filing.created_at),
        kiosk_id=filing.kiosk_id,
        kind=kind_label,
        status=filing.status.value,
        status_label=STATUS_LABELS[filing.status.value],
        source_label=SOURCE_LABELS[filing.source.value],
    )


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
    ]


def actor_label(actor: str) -> str:
    """``staff:clerk1`` → ``職員 clerk1``, ``kiosk:k-01`` → ``端末 k-01``."""
    kind, _, name = actor.partition(":")
    return f"{ACTOR_JA[kind]} {name}" if kind in ACTOR_JA and name else actor
