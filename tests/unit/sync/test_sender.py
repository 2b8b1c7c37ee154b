"""The sender's decisions (done / retry / dead) against a real outbox and a scripted poster."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from server_sync.backoff import RetryPolicy
from server_sync.errors import RejectedError, TransportError
from server_sync.ids import new_uuid7
from server_sync.outbox import Outbox
from server_sync.sender import (
    STATE_CLOCK_OFFSET_S,
    STATE_LAST_ERROR,
    STATE_LAST_SUCCESS_AT,
    record_clock_offset,
    send_pending,
)
from server_sync.transport import FilingAck

KEY = b"k" * 32
WAL_HEADER, FRAME_HEADER, PAGE = 32, 24, 4096  # SQLite WAL layout, default page size


class ScriptedPoster:
    """Answers from a script: an exception instance to raise, or an ack result string."""

    def __init__(self, script: list[object]) -> None:
        self.script = list(script)
        self.received: list[bytes] = []

    def post_filing(self, envelope: bytes) -> FilingAck:
        self.received.append(envelope)
        step = self.script.pop(0) if self.script else "accepted"
        if isinstance(step, BaseException):
            raise step
        return FilingAck(str(step), "f-" + str(len(self.received)))


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox.open(
        tmp_path / "o.db",
        KEY,
        policy=RetryPolicy(base_delay_s=0.001, max_delay_s=0.001),
        rng=random.Random(1),
    )
    yield box
    box.close()


def _fill(outbox: Outbox, n: int) -> list[str]:
    ids = [new_uuid7() for _ in range(n)]
    for i, mid in enumerate(ids):
        outbox.enqueue(f"envelope-{i}".encode(), mid)
    return ids


def test_all_delivered_in_order_and_payloads_erased(outbox: Outbox, tmp_path: Path) -> None:
    _fill(outbox, 3)
    poster = ScriptedPoster(["accepted", "duplicate", "accepted"])
    report = send_pending(outbox, poster)
    assert (report.sent, report.duplicates, report.delivered) == (2, 1, 3)
    assert poster.received == [b"envelope-0", b"envelope-1", b"envelope-2"]
    # the round ends with a scrub: the WAL is truncated, then restarted by the sender with one
    # small sync_state write (table + index page) — no frame keeps an acknowledged payload
    assert (tmp_path / "o.db-wal").stat().st_size <= WAL_HEADER + 2 * (FRAME_HEADER + PAGE)
    stats = outbox.stats()
    assert (stats.done, stats.backlog) == (3, 0)


def test_transport_error_ends_the_round_and_keeps_the_message(outbox: Outbox) -> None:
    _fill(outbox, 3)
    poster = ScriptedPoster([TransportError("timeout")])
    report = send_pending(outbox, poster)
    assert (report.delivered, report.retried) == (0, 1)
    assert len(poster.received) == 1
    assert outbox.stats().ready == 3
    assert outbox.get_state(STATE_LAST_ERROR) == "timeout"
    # the same bytes are sent again on the next round
    report = send_pending(outbox, poster, due_only=False)
    assert report.delivered == 3
    assert sorted(poster.received[1:]) == [b"envelope-0", b"envelope-1", b"envelope-2"]


def test_rejection_dead_letters_one_message_and_continues(outbox: Outbox) -> None:
    ids = _fill(outbox, 3)
    poster = ScriptedPoster(["accepted", RejectedError(422, "bad_filing", "name missing")])
    report = send_pending(outbox, poster)
    assert (report.sent, report.dead) == (2, 1)
    dead = outbox.dead_letters()
    assert [(d.id, d.last_error) for d in dead] == [(ids[1], "422 bad_filing")]
    assert outbox.get_state(STATE_LAST_ERROR) == "422 bad_filing"  # detail never stored


def test_unexpected_exception_returns_message_for_retry(outbox: Outbox) -> None:
    _fill(outbox, 1)
    with pytest.raises(RuntimeError):
        send_pending(outbox, ScriptedPoster([RuntimeError("bug")]))
    assert outbox.stats().ready == 1 and outbox.stats().sending == 0


def test_limit_caps_a_round(outbox: Outbox) -> None:
    _fill(outbox, 5)
    assert send_pending(outbox, ScriptedPoster([]), limit=2).delivered == 2
    assert outbox.stats().ready == 3


def test_a_stop_request_ends_the_round_early(outbox: Outbox) -> None:
    import threading

    _fill(outbox, 3)
    stop = threading.Event()
    stop.set()
    assert send_pending(outbox, ScriptedPoster([]), stop=stop).delivered == 0
    assert outbox.stats().ready == 3


def test_a_drain_notes_success_once_per_interval_and_clears_the_clock_offset(
    outbox: Outbox,
) -> None:
    _fill(outbox, 40)
    record_clock_offset(outbox, 90)
    writes: list[str] = []

    def trace(sql: str) -> None:
        if sql.startswith("INSERT INTO sync_state"):
            writes.append(sql)

    outbox._conn.set_trace_callback(trace)  # the outbox's own connection: count state writes
    report = send_pending(outbox, ScriptedPoster([]))
    outbox._conn.set_trace_callback(None)
    assert report.sent == 40
    assert outbox.get_state(STATE_LAST_SUCCESS_AT) is not None
    assert outbox.get_state(STATE_CLOCK_OFFSET_S) is None  # the clocks agree again
    # noted at the first delivery, about once a second, and at the end — not once per message
    # (each note is a commit, i.e. an fsync on the kiosk's SD card)
    assert 1 <= len(writes) < 10
