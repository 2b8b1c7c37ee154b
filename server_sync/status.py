"""The ``status`` report (JSON) for the staff/maintenance screen and technicians."""

from __future__ import annotations

import time
from typing import Any

from server_sync.backoff import NS_PER_S
from server_sync.config import SyncSettings
from server_sync.master_pull import MasterStore
from server_sync.outbox import Outbox
from server_sync.sender import (
    STATE_CLOCK_OFFSET_AT,
    STATE_CLOCK_OFFSET_S,
    STATE_LAST_ERROR,
    STATE_LAST_ERROR_AT,
    STATE_LAST_SUCCESS_AT,
)

STATE_MASTER_ERROR = "master_error"
STATE_MASTER_ERROR_AT = "master_error_at"
STATE_MASTER_CHECKED_AT = "master_checked_at"
STATE_HEARTBEAT_AT = "heartbeat_at"
MAX_DEAD_LISTED = 50


def _int_or_none(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None


def collect_status(settings: SyncSettings, outbox: Outbox) -> dict[str, Any]:
    """Backlog, dead letters, last errors and master version (no personal data)."""
    stats = outbox.stats()
    now = time.time_ns()
    oldest = stats.oldest_pending_created_at_ns
    dead = outbox.dead_letters()
    return {
        "kiosk_id": settings.kiosk_id,
        "intake_url": settings.intake_url,
        "enrolled": bool(settings.kiosk_id and settings.intake_url),
        "backlog": stats.backlog,
        "ready": stats.ready,
        "sending": stats.sending,
        "done": stats.done,
        "dead": stats.dead,
        "oldest_pending_age_s": None if oldest is None else round((now - oldest) / NS_PER_S, 1),
        "last_error": outbox.get_state(STATE_LAST_ERROR),
        "last_error_at": outbox.get_state(STATE_LAST_ERROR_AT),
        "last_success_at": outbox.get_state(STATE_LAST_SUCCESS_AT),
        "last_heartbeat_at": outbox.get_state(STATE_HEARTBEAT_AT),
        # set when the intake answered clock_skew: intake time minus kiosk time, in seconds
        "clock_offset_s": _int_or_none(outbox.get_state(STATE_CLOCK_OFFSET_S)),
        "clock_offset_at": outbox.get_state(STATE_CLOCK_OFFSET_AT),
        "master_version": MasterStore(settings.master_dir).current_version(),
        "master_checked_at": outbox.get_state(STATE_MASTER_CHECKED_AT),
        "master_error": outbox.get_state(STATE_MASTER_ERROR),
        "master_error_at": outbox.get_state(STATE_MASTER_ERROR_AT),
        "dead_letters": [
            {"id": d.id, "attempts": d.attempts, "last_error": d.last_error}
            for d in dead[:MAX_DEAD_LISTED]
        ],
    }
