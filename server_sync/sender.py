"""Delivery of the outbox to the intake: claim, POST, then done / retry with backoff / dead."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from server_sync import sync_state
from server_sync.envelope import format_timestamp
from server_sync.errors import RejectedError, TransportError
from server_sync.outbox import Outbox, Status

if TYPE_CHECKING:  # the app reads the sender's state keys without loading the HTTP stack
    from server_sync.transport import FilingAck

log = logging.getLogger(__name__)

# the state names live in server_sync.sync_state (its readers need not import this module)
STATE_LAST_ERROR = sync_state.STATE_LAST_ERROR
STATE_LAST_ERROR_AT = sync_state.STATE_LAST_ERROR_AT
STATE_LAST_SUCCESS_AT = sync_state.STATE_LAST_SUCCESS_AT
STATE_CLOCK_OFFSET_S = sync_state.STATE_CLOCK_OFFSET_S
STATE_CLOCK_OFFSET_AT = sync_state.STATE_CLOCK_OFFSET_AT
#: while draining a backlog, last_success_at is written at most this often (each write is a commit)
SUCCESS_NOTE_INTERVAL_S = 1.0


class FilingPoster(Protocol):
    """Anything that can deliver one envelope (the intake client)."""

    def post_filing(self, envelope: bytes) -> FilingAck:
        """Deliver ``envelope``; raise TransportError (retry) or RejectedError (permanent)."""
        ...


@dataclass(frozen=True, slots=True)
class SendReport:
    """Outcome of one sending round."""

    sent: int = 0
    duplicates: int = 0
    retried: int = 0
    dead: int = 0

    @property
    def delivered(self) -> int:
        """Messages the intake now holds (new or already known)."""
        return self.sent + self.duplicates


def _stamp() -> str:
    return format_timestamp(datetime.now(UTC))


def record_error(outbox: Outbox, code: str) -> None:
    """Remember the last delivery problem for ``status`` (codes only, never personal data)."""
    outbox.set_state(STATE_LAST_ERROR, code)
    outbox.set_state(STATE_LAST_ERROR_AT, _stamp())


def record_clock_offset(outbox: Outbox, offset_s: int) -> None:
    """Remember how far our clock is off the intake's (shown by ``status`` to staff)."""
    outbox.set_state(STATE_CLOCK_OFFSET_S, str(offset_s))
    outbox.set_state(STATE_CLOCK_OFFSET_AT, _stamp())


def note_success(outbox: Outbox) -> None:
    """Remember the time of a delivery; a clock offset shown to staff is cleared by it."""
    outbox.set_state(STATE_LAST_SUCCESS_AT, _stamp())
    if outbox.get_state(STATE_CLOCK_OFFSET_S) is not None:  # the clocks agree again
        outbox.set_state(STATE_CLOCK_OFFSET_S, None)
        outbox.set_state(STATE_CLOCK_OFFSET_AT, None)


def send_pending(
    outbox: Outbox,
    poster: FilingPoster,
    *,
    due_only: bool = True,
    limit: int | None = None,
    stop: threading.Event | None = None,
) -> SendReport:
    """Deliver ready messages until none is due, ``limit`` is reached or the intake is unreachable.

    A retryable failure ends the round (the intake is probably down; the message gets a backoff);
    a permanent rejection dead-letters that one message and the round goes on.
    """
    sent = duplicates = retried = dead = 0
    success_noted_at: float | None = None
    while limit is None or sent + duplicates + retried + dead < limit:
        if stop is not None and stop.is_set():
            break
        message = outbox.claim(due_only=due_only)
        if message is None:
            break
        try:
            ack = poster.post_filing(message.envelope)
        except TransportError as err:
            status = outbox.mark_retry(message.id, str(err.detail))
            record_error(outbox, str(err.detail))
            if err.clock_offset_s is not None:
                record_clock_offset(outbox, err.clock_offset_s)
            log.warning("send %s failed (%s), %s", message.id, err.detail, status.value)
            if status is Status.DEAD:
                dead += 1
            else:
                retried += 1
            break
        except RejectedError as err:
            code = f"{err.status} {err.error}"
            outbox.mark_dead(message.id, code)
            record_error(outbox, code)
            log.error("send %s rejected (%s): dead-lettered", message.id, code)
            dead += 1
            continue
        except BaseException:
            outbox.mark_retry(message.id, "internal_error")
            raise
        outbox.mark_done(message.id)
        now = time.monotonic()
        if success_noted_at is None or now - success_noted_at >= SUCCESS_NOTE_INTERVAL_S:
            # telemetry, not delivery state: one commit (an fsync) per second, not per message
            note_success(outbox)
            success_noted_at = now
        log.info("sent %s (%s)", message.id, ack.result)
        if ack.result == "duplicate":
            duplicates += 1
        else:
            sent += 1
    if sent + duplicates:
        note_success(outbox)  # the round's last success, whatever the interval
        outbox.scrub()  # no copy of an acknowledged payload stays in the WAL
    return SendReport(sent=sent, duplicates=duplicates, retried=retried, dead=dead)
