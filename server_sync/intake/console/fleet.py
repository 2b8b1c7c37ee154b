"""The fleet page's view models: each kiosk with its stand report and rollout state, the kiosks that
got an enrolment token but never enrolled, and the published update.

The update is read from ``<data dir>/updates/channel.json`` — the folder the central side publishes
bundles from (docs/appliance.md "Updates"); without it the page shows no rollout column values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from server_sync.intake.console.views import NO_VALUE, KioskRow, kiosk_row, short_time
from server_sync.intake.records import Kiosk
from server_sync.intake.store import PendingEnrolment
from server_sync.rollout import Published, RolloutState, read_published, rollout_state

CHANNEL_PATH = Path("updates") / "channel.json"

READER_LABELS = {"ok": "正常", "missing": "未接続", "unknown": "不明"}
PRINTER_LABELS = {
    "ok": "正常",
    "paper_out": "用紙切れ",
    "offline": "応答なし",
    "missing": "未接続",
    "unknown": "不明",
}
ROLLOUT_LABELS = {
    RolloutState.CURRENT: "適用済み",
    RolloutState.PENDING: "適用待ち",
    RolloutState.WAITING: "対象外（段階配信）",
    RolloutState.UNKNOWN: "不明",
}
#: device states that need a technician (the row is marked like a stale kiosk)
DEVICE_PROBLEMS = frozenset({"missing", "paper_out", "offline"})


@dataclass(frozen=True, slots=True)
class FleetRow:
    """A kiosk row of the fleet page."""

    base: KioskRow
    image_version: str
    slot: str
    reader: str
    reader_state: str
    printer: str
    printer_state: str
    rollout: str
    rollout_state: str
    health: str
    health_label: str


@dataclass(frozen=True, slots=True)
class PendingRow:
    """A kiosk id with an enrolment token and no enrolment."""

    kiosk_id: str
    token_created: str
    token_expires: str
    expired: bool


@dataclass(frozen=True, slots=True)
class UpdateView:
    """The published update and how far it has got."""

    version: str
    listed: str
    share: str
    current: int
    pending: int


def fleet_row(kiosk: Kiosk, now: datetime, published: Published | None) -> FleetRow:
    """One kiosk with its health, stand report and rollout state."""
    base = kiosk_row(kiosk, now)
    reader = kiosk.reader_state or "unknown"
    printer = kiosk.printer_state or "unknown"
    health, label = base.health, base.health_label
    if health == "ok" and (reader in DEVICE_PROBLEMS or printer in DEVICE_PROBLEMS):
        health, label = "stale", "機器の異常"
    state = rollout_state(published, kiosk.kiosk_id, kiosk.image_version) if published else None
    return FleetRow(
        base=base,
        image_version=kiosk.image_version or NO_VALUE,
        slot=kiosk.boot_slot.upper() if kiosk.boot_slot else NO_VALUE,
        reader=READER_LABELS.get(reader, reader),
        reader_state=reader,
        printer=PRINTER_LABELS.get(printer, printer),
        printer_state=printer,
        rollout=ROLLOUT_LABELS[state] if state else NO_VALUE,
        rollout_state=state.value if state else "",
        health=health,
        health_label=label,
    )


def pending_row(pending: PendingEnrolment) -> PendingRow:
    """A token that was never used, with its times in Japan time."""
    return PendingRow(
        pending.kiosk_id,
        short_time(pending.token_created_at),
        short_time(pending.token_expires_at),
        pending.expired,
    )


def published_update(data_dir: Path) -> Published | None:
    """The published update channel, or None when none is published here."""
    return read_published(data_dir / CHANNEL_PATH)


def update_view(published: Published, rows: list[FleetRow]) -> UpdateView:
    """The published version, its rollout and how many kiosks run it or wait for it."""
    return UpdateView(
        version=published.version,
        listed=", ".join(published.kiosks) or NO_VALUE,
        share=f"{published.share:.0%}",
        current=sum(r.rollout_state == RolloutState.CURRENT for r in rows),
        pending=sum(r.rollout_state == RolloutState.PENDING for r in rows),
    )
