"""The outbox's guarantees, checked against the SQLite file itself."""

from __future__ import annotations

import importlib.util
import random
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from server_sync.backoff import NS_PER_S, RetryPolicy
from server_sync.errors import OutboxError
from server_sync.ids import new_uuid7
from server_sync.outbox import SCHEMA_VERSION, Outbox, Status, connect, migrate

KEY = bytes(range(32))
BENCH = Path(__file__).resolve().parents[3] / "bench" / "outbox_enqueue.py"
SECRET = "山田 太郎 東京都千代田区".encode()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000 * NS_PER_S

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += int(seconds * NS_PER_S)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def outbox(tmp_path: Path, clock: FakeClock) -> Iterator[Outbox]:
    policy = RetryPolicy(base_delay_s=1, max_delay_s=60, max_attempts=4, max_age_s=86400)
    box = Outbox.open(tmp_path / "outbox.db", KEY, policy=policy, clock=clock, rng=random.Random(7))
    yield box
    box.close()


def _raw(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_every_connection_uses_wal_synchronous_full_and_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    first = Outbox.open(path, KEY)
    second = Outbox.open(path, KEY)  # a second process/connection gets the same settings
    for box in (first, second):
        settings = box.connection_settings()
        assert settings["journal_mode"] == "wal"
        assert settings["synchronous"] == 2  # FULL
        assert settings["busy_timeout"] >= 1000
        assert settings["user_version"] == SCHEMA_VERSION
        assert settings["secure_delete"] == 1  # freed space is zeroed (also on SQLite builds
        # where it is not the compile-time default, unlike Debian's)
    first.close()
    second.close()
    conn = connect(path)
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    conn.close()
    # WAL is persistent in the file header: a plain connection sees it too
    assert _raw(path, "PRAGMA journal_mode") == [("wal",)]


def test_payload_is_encrypted_at_rest_with_the_message_id_as_aad(
    outbox: Outbox, tmp_path: Path
) -> None:
    mid = new_uuid7()
    outbox.enqueue(SECRET, mid)
    (payload,) = _raw(tmp_path / "outbox.db", "SELECT payload FROM outbox WHERE id = ?", mid)[0]
    assert isinstance(payload, bytes)
    assert SECRET not in payload and "山田".encode() not in payload
    assert AESGCM(KEY).decrypt(payload[:12], payload[12:], mid.encode()) == SECRET
    with pytest.raises(Exception):  # noqa: B017 - InvalidTag
        AESGCM(KEY).decrypt(payload[:12], payload[12:], new_uuid7().encode())


def test_claim_done_purges_the_payload(outbox: Outbox, tmp_path: Path) -> None:
    mid = new_uuid7()
    outbox.enqueue(SECRET, mid)
    msg = outbox.claim()
    assert msg is not None and msg.id == mid and msg.envelope == SECRET and msg.attempts == 1
    assert _raw(tmp_path / "outbox.db", "SELECT status FROM outbox") == [("sending",)]
    outbox.mark_done(mid)
    rows = _raw(tmp_path / "outbox.db", "SELECT status, payload, last_error FROM outbox")
    assert rows == [("done", None, None)]
    assert outbox.claim() is None


def _file_bytes(db: Path) -> bytes:
    """Everything SQLite keeps on disk for ``db``: the main file (free pages too) and the WAL."""
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_acknowledged_payload_leaves_no_copy_in_the_db_or_wal_files(
    outbox: Outbox, tmp_path: Path
) -> None:
    db = tmp_path / "outbox.db"
    keep, gone = new_uuid7(), new_uuid7()
    outbox.enqueue(b"other filing", keep)
    outbox.enqueue(SECRET * 200, gone)  # a real envelope's size: spills into overflow pages
    (sealed,) = _raw(db, "SELECT payload FROM outbox WHERE id = ?", gone)[0]
    probe = sealed[-64:]  # a slice of the ciphertext (on an overflow page)
    assert probe in _file_bytes(db)  # the probe would find it
    assert "山田".encode() not in _file_bytes(db)  # personal data is never plaintext at rest
    assert outbox.scrub()  # an auto-checkpoint moved the payload into the main file meanwhile
    assert probe in db.read_bytes()
    while (msg := outbox.claim()) is not None:
        if msg.id == gone:
            outbox.mark_done(gone)
        else:
            outbox.mark_retry(msg.id, "503 http_error")
    assert probe in _file_bytes(db)  # older WAL frames still hold it …
    assert outbox.scrub()
    assert probe not in _file_bytes(db)  # … until the scrub: not in pages, free space or WAL
    # the pending message is intact
    assert _raw(db, "SELECT status, payload IS NOT NULL FROM outbox WHERE id = ?", keep) == [
        ("ready", 1)
    ]


def test_enqueue_is_idempotent_for_identical_bytes_and_refuses_conflicts(outbox: Outbox) -> None:
    mid = new_uuid7()
    outbox.enqueue(b"one", mid)
    outbox.enqueue(b"one", mid)
    assert outbox.stats().ready == 1
    with pytest.raises(OutboxError):
        outbox.enqueue(b"two", mid)
    with pytest.raises(OutboxError):
        outbox.enqueue(b"x", "not-a-uuid")


def test_retry_uses_backoff_and_is_not_due_before_it(outbox: Outbox, clock: FakeClock) -> None:
    mid = new_uuid7()
    outbox.enqueue(b"e", mid)
    for attempt in (1, 2, 3):
        msg = outbox.claim()
        assert msg is not None and msg.attempts == attempt
        before = clock.now
        assert outbox.mark_retry(mid, "503 transport") is Status.READY
        (next_at,) = [s.next_attempt_at_ns for s in [outbox.stats()]]
        assert next_at is not None
        ceiling = min(60.0, 2 ** (attempt - 1)) * NS_PER_S
        assert before <= next_at <= before + ceiling
        if next_at > clock.now:
            assert outbox.claim() is None  # not due yet
        clock.advance(61)
    assert outbox.claim() is not None
    assert outbox.mark_retry(mid, "503 transport") is Status.DEAD  # 4th attempt = cap
    dead = outbox.dead_letters()
    assert [(d.id, d.attempts, d.last_error) for d in dead] == [(mid, 4, "503 transport")]
    assert outbox.stats().dead == 1 and outbox.stats().backlog == 0


def test_claim_can_flush_ignoring_the_schedule(outbox: Outbox) -> None:
    mid = new_uuid7()
    outbox.enqueue(b"e", mid)
    assert outbox.claim() is not None
    outbox.mark_retry(mid, "timeout")
    outbox_next = outbox.stats().next_attempt_at_ns
    assert outbox_next is not None
    msg = outbox.claim(due_only=False)
    assert msg is not None and msg.id == mid


def test_old_messages_are_dead_lettered_by_age(outbox: Outbox, clock: FakeClock) -> None:
    mid = new_uuid7()
    outbox.enqueue(b"e", mid)
    clock.advance(86400)
    assert outbox.claim() is not None
    assert outbox.mark_retry(mid, "timeout") is Status.DEAD


def test_dead_letters_keep_payload_and_can_be_requeued(outbox: Outbox) -> None:
    mid = new_uuid7()
    outbox.enqueue(b"e", mid)
    assert outbox.claim() is not None
    outbox.mark_dead(mid, "422 bad_filing")
    assert outbox.claim(due_only=False) is None
    assert outbox.requeue_dead(mid)
    msg = outbox.claim()
    assert msg is not None and msg.envelope == b"e" and msg.attempts == 1


def test_recover_returns_sending_rows_to_ready(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    box = Outbox.open(path, KEY)
    ids = [new_uuid7() for _ in range(3)]
    for mid in ids:
        box.enqueue(mid.encode(), mid)
    assert box.claim() is not None and box.claim() is not None
    box.close()  # the "crash": rows stay in sending
    box = Outbox.open(path, KEY)
    assert box.stats().sending == 2
    assert box.recover() == 2
    got = []
    while (msg := box.claim()) is not None:
        got.append(msg.id)
        box.mark_done(msg.id)
    assert sorted(got) == sorted(ids)
    box.close()


def test_undecryptable_rows_are_dead_lettered_not_crashing(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    with Outbox.open(path, KEY) as box:
        box.enqueue(b"e", new_uuid7())
    with Outbox.open(path, bytes(32)) as wrong:
        assert wrong.claim() is None
        assert [d.last_error for d in wrong.dead_letters()] == ["undecryptable"]


def test_prune_done_by_age(outbox: Outbox, clock: FakeClock) -> None:
    old, new = new_uuid7(), new_uuid7()
    for mid in (old, new):
        outbox.enqueue(b"e", mid)
    msg = outbox.claim()
    assert msg is not None
    outbox.mark_done(msg.id)
    clock.advance(3600)
    msg = outbox.claim()
    assert msg is not None
    outbox.mark_done(msg.id)
    assert outbox.prune_done(older_than_s=1800) == 1
    assert outbox.stats().done == 1


def test_concurrent_consumers_never_claim_the_same_row(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    with Outbox.open(path, KEY) as box:
        ids = [new_uuid7() for _ in range(200)]
        for mid in ids:
            box.enqueue(b"x", mid)
    claimed: list[str] = []
    lock = threading.Lock()

    def consume() -> None:
        with Outbox.open(path, KEY) as mine:
            while (msg := mine.claim()) is not None:
                with lock:
                    claimed.append(msg.id)
                mine.mark_done(msg.id)

    threads = [threading.Thread(target=consume) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(claimed) == len(set(claimed)) == 200
    assert set(claimed) == set(ids)


def test_migrations_apply_from_every_past_version(tmp_path: Path) -> None:
    for start in range(0, SCHEMA_VERSION):
        path = tmp_path / f"v{start}.db"
        conn = connect(path)
        assert migrate(conn, target=start) == start
        if start >= 1:
            conn.execute(
                "INSERT INTO outbox (id, schema_version, created_at_ns, payload, status,"
                " next_attempt_at_ns) VALUES ('old', 1, 1, x'00', 'ready', 1)"
            )
        conn.close()
        with Outbox.open(path, KEY) as box:
            assert box.connection_settings()["user_version"] == SCHEMA_VERSION
            assert box.stats().ready == (1 if start >= 1 else 0)
            box.set_state("last_error", "x")
            assert box.get_state("last_error") == "x"


def _wal_salts(db: Path) -> bytes:
    """The WAL header's salts: they change whenever SQLite restarts (and header-syncs) the WAL."""
    return db.with_name(db.name + "-wal").read_bytes()[16:24]


def test_open_after_close_takes_up_the_same_connection_unless_the_file_was_replaced(
    tmp_path: Path,
) -> None:
    db = tmp_path / "outbox.db"
    first = Outbox.open(db, KEY)
    conn = first._conn
    mid = new_uuid7()
    first.enqueue(SECRET, mid)
    first.close()
    first.close()  # idempotent: parked once
    again = Outbox.open(db, KEY)
    assert again._conn is conn  # no new connection: no folder sync at its first commit
    assert again.connection_settings()["synchronous"] == 2
    assert again.claim() is not None and again.claim() is None
    again.close()
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    fresh = Outbox.open(db, KEY)  # a new file at the same path: never the old connection
    assert fresh._conn is not conn
    assert fresh.stats().backlog == 0
    fresh.enqueue(SECRET, new_uuid7())
    fresh.close()
    assert _raw(db, "SELECT COUNT(*) FROM outbox") == [(1,)]


def test_the_enqueue_after_a_scrub_appends_to_the_wal_the_sender_restarted(
    tmp_path: Path,
) -> None:
    db = tmp_path / "outbox.db"
    sender = Outbox.open(db, KEY)
    with Outbox.open(db, KEY) as kiosk:
        kiosk.enqueue(SECRET, first := new_uuid7())
    msg = sender.claim()
    assert msg is not None and msg.id == first
    sender.mark_done(first)
    assert sender.scrub()
    salts = _wal_salts(db)
    assert sender.get_state("wal_started_at_ns") is not None
    size = db.with_name(db.name + "-wal").stat().st_size
    with Outbox.open(db, KEY) as kiosk:
        kiosk.enqueue(SECRET, second := new_uuid7())
    # same WAL generation, longer: the enqueue paid only its commit's sync, no header sync
    assert _wal_salts(db) == salts
    assert db.with_name(db.name + "-wal").stat().st_size > size
    sender.close()
    assert _raw(db, "SELECT status FROM outbox WHERE id = ?", second) == [("ready",)]


def test_one_sync_per_enqueue_in_the_kiosk_pattern() -> None:
    if shutil.which("strace") is None:
        pytest.skip("strace not installed")
    spec = importlib.util.spec_from_file_location("outbox_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    syncs = bench.count_syncs("kiosk", 10)  # open + enqueue + close, sender scrubs between
    if syncs is None:
        pytest.skip("strace cannot trace here (ptrace not permitted)")
    assert syncs == 1.0
