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
from server_sync.transport import IntakeClient

log = logging.getLogger(__name__)

PRUNE_INTERVAL_S = 3600.0
#: the longest pause after a round that failed unexpectedly
ROUND_RETRY_MAX_S = 60.0


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
    """The long-running loop; returns when ``stop`` is set.

    An unexpected error in one round (a locked or damaged database, a bug) is logged by type
    only — its text could quote data — and the loop goes on after a growing pause, so one bad
    round never stops delivery; systemd's restart is the last resort, not the first.
    """
    with SenderLock(settings.sender_lock_path), open_outbox(settings) as outbox:
        outbox.recover()
        store = MasterStore(settings.master_dir, app_link=settings.app_master_path)
        due = _Schedule()
        failures = 0
        log.info("sender started for kiosk %s", settings.kiosk_id)
        with intake_client(settings) as client:
            while not stop.is_set():
                try:
                    _round(settings, outbox, client, store, due, stop)
                    failures = 0
                except Exception as err:
                    failures += 1
                    log.error(
                        "sender round failed (%s at %s), retrying", type(err).__name__, _origin(err)
                    )
                    stop.wait(min(ROUND_RETRY_MAX_S, settings.poll_interval_s * 2**failures))
                    continue
                stop.wait(settings.poll_interval_s)
        log.info("sender stopped")


def _origin(err: BaseException) -> str:
    """``file:line`` where ``err`` was raised (the place, never the message)."""
    where = err.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    return f"{where.tb_frame.f_code.co_filename}:{where.tb_lineno}" if where else "?"


class _Schedule:
    """When the periodic jobs of the loop are next due (monotonic seconds)."""

    def __init__(self) -> None:
        self.heartbeat = self.master = self.prune = 0.0


def _round(
    settings: SyncSettings,
    outbox: Outbox,
    client: IntakeClient,
    store: MasterStore,
    due: _Schedule,
    stop: threading.Event,
) -> None:
    """One round: deliver what is due, then the heartbeat, master pull and pruning when due."""
    send_pending(outbox, client, due_only=True, stop=stop)
    now = time.monotonic()
    if now >= due.heartbeat:
        due.heartbeat = now + settings.heartbeat_interval_s
        try:
            send_heartbeat(client, outbox, store, settings.state_dir)
            outbox.set_state(STATE_HEARTBEAT_AT, _stamp())
        except SyncError as err:
            log.warning("heartbeat failed: %s", err.code)
    if now >= due.master:
        due.master = now + settings.master_interval_s
        with contextlib.suppress(SyncError):  # recorded; the old set stays
            pull_and_record(client, store, outbox)
    if now >= due.prune:
        due.prune = now + PRUNE_INTERVAL_S
        outbox.prune_done(settings.prune_done_after_s)
