"""What the maintenance screen shows staff (no personal data): devices, link, backlog, masters."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.forms.master import AddressMaster
    from server_sync.config import SyncSettings


class LinkState(StrEnum):
    """The central link as the sender last saw it."""

    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class StaffStatus:
    """One snapshot for the maintenance screen."""

    link: LinkState
    last_error: str
    backlog: int
    dead: int
    master_version: str
    published_master_version: str


def link_state(last_success_at: str | None, last_error_at: str | None) -> LinkState:
    """UP when the latest recorded contact succeeded, DOWN when it failed."""
    if last_error_at and (not last_success_at or last_error_at > last_success_at):
        return LinkState.DOWN
    if last_success_at:
        return LinkState.UP
    return LinkState.UNKNOWN


def collect(sync: SyncSettings, master: AddressMaster) -> StaffStatus:
    """Read the outbox and the master versions (call off the UI thread)."""
    # imported here, and none of them imports cryptography or the HTTP stack: the welcome
    # screen collects this status, and those stacks cost ~5 MB the screen does not need
    from server_sync.devicekey import load_or_create_outbox_key
    from server_sync.master_pull import MasterStore
    from server_sync.outbox import Outbox
    from server_sync.sync_state import STATE_LAST_ERROR, STATE_LAST_ERROR_AT, STATE_LAST_SUCCESS_AT

    key = load_or_create_outbox_key(sync.outbox_key_path)
    with Outbox.open(sync.outbox_path, key) as box:
        stats = box.stats()
        success = box.get_state(STATE_LAST_SUCCESS_AT)
        error_at = box.get_state(STATE_LAST_ERROR_AT)
        error = box.get_state(STATE_LAST_ERROR) or ""
    published = MasterStore(sync.master_dir).current_version() or "-"
    return StaffStatus(
        link=link_state(success, error_at),
        last_error=error,
        backlog=stats.backlog,
        dead=stats.dead,
        master_version=master.info().version,
        published_master_version=str(published),
    )
