"""The sender process: deliver the outbox, send heartbeats, pull master data — until stopped.

Runs apart from the UI (``python -m server_sync``), so a UI crash never stops delivery. Network
trouble never ends the loop; it is recorded for ``status`` and retried with backoff.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from datetime import UTC, datetime

from server_sync.config import SyncSettings
from server_sync.envelope import format_timestamp
from server_sync.errors import SyncError
from server_sync.heartbeat import send_heartbeat
from server_sync.lock import SenderLock
from server_sync.master_pull import MasterSource, MasterStore, PullResult, pull_master
from server_sync.outbox import Outbox
from server_sync.runtime import intake_client, open_outbox
from server_sync.sender import SendReport, send_pending
from server_sync.status import (
    STATE_HEARTBEAT_AT,
    STATE_MASTER_CHECKED_AT,
    STATE_MASTER_ERROR,
    STATE_MASTER_ERROR_AT,
)

log = logging.getLogger(__name__)

PRUNE_INTERVAL_S = 3600.0


def _stamp() -> str:
    return format_timestamp(datetime.now(UTC))


def pull_and_record(source: MasterSource, store: MasterStore, outbox: Outbox) -> PullResult:
    """Pull master data, remembering success or the error for ``status``; re-raises errors."""
    try:
        result = pull_master(source, store)
    except SyncError as err:
        outbox.set_state(STATE_MASTER_ERROR, f"{err.code}: {err}"[:200])
        outbox.set_state(STATE_MASTER_ERROR_AT, _stamp())
        log.error("master pull failed, keeping version %s: %s", store.current_version(), err.code)
        raise
    outbox.set_state(STATE_MASTER_CHECKED_AT, _stamp())
    outbox.set_state(STATE_MASTER_ERROR, None)
    outbox.set_state(STATE_MASTER_ERROR_AT, None)
    return result


def send_once(settings: SyncSettings) -> tuple[SendReport, int]:
    """Recover, then flush every ready message once; returns (report, remaining backlog)."""
    with SenderLock(settings.sender_lock_path), open_outbox(settings) as outbox:
        outbox.recover()
        with intake_client(settings) as client:
            report = send_pending(outbox, client, due_only=False)
        return report, outbox.stats().backlog


def run(settings: SyncSettings, stop: threading.Event) -> None:
    """The long-running loop; returns when ``stop`` is set."""
    with SenderLock(settings.sender_lock_path), open_outbox(settings) as outbox:
        outbox.recover()
        store = MasterStore(settings.master_dir, app_link=settings.app_master_path)
        next_heartbeat = next_master = next_prune = 0.0
        log.info("sender started for kiosk %s", settings.kiosk_id)
        with intake_client(settings) as client:
            while not stop.is_set():
                send_pending(outbox, client, due_only=True, stop=stop)
                now = time.monotonic()
                if now >= next_heartbeat:
                    next_heartbeat = now + settings.heartbeat_interval_s
                    try:
                        send_heartbeat(client, outbox, store)
                        outbox.set_state(STATE_HEARTBEAT_AT, _stamp())
                    except SyncError as err:
                        log.warning("heartbeat failed: %s", err.code)
                if now >= next_master:
                    next_master = now + settings.master_interval_s
                    with contextlib.suppress(SyncError):  # recorded; the old set stays
                        pull_and_record(client, store, outbox)
                if now >= next_prune:
                    next_prune = now + PRUNE_INTERVAL_S
                    outbox.prune_done(settings.prune_done_after_s)
                stop.wait(settings.poll_interval_s)
        log.info("sender stopped")
