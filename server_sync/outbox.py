"""The durable outbox: an SQLite queue of encrypted envelopes (ready → sending → done | dead).

Every connection runs in WAL mode with ``synchronous=FULL`` (a kiosk may lose power at any time)
and a busy timeout; writes go through ``BEGIN IMMEDIATE`` transactions. Payloads are encrypted
with AES-256-GCM under the device's outbox key (AAD = message id) and erased once the intake has
acknowledged them. ``last_error`` only ever holds status codes and error codes, never personal data.

One durable write per enqueued message: an ``enqueue`` is one transaction, and its commit is the
only fsync on the resident's path. Two other syncs SQLite would add are kept off it:

* a connection's first commit also syncs the folder — so ``close()`` parks the connection
  (``_IdlePool``) and the next ``Outbox.open`` of the same file in this process takes it back
  (the app opens the outbox once per filing);
* the first commit after the WAL was reset syncs the new WAL header — so ``scrub()``, after
  truncating the WAL, starts the new one itself with a small non-personal write, in the sender.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from server_sync.backoff import NS_PER_S, RetryPolicy
from server_sync.errors import OutboxError
from server_sync.ids import is_uuid7
from server_sync.outbox_db import (  # the SQLite file itself; public names re-exported below
    _IDLE,
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    apply_settings,
    connect,
    migrate,
    migrations,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

PAYLOAD_SCHEMA_VERSION = 1
NONCE_BYTES = 12
MAX_ERROR_CHARS = 200
#: the sync_state row scrub() writes to start a fresh WAL (a timestamp, no personal data)
STATE_WAL_STARTED = "wal_started_at_ns"

Clock = Callable[[], int]

__all__ = [
    "BUSY_TIMEOUT_MS", "SCHEMA_VERSION", "DeadLetter", "Outbox", "OutboxMessage", "OutboxStats",
    "Status", "apply_settings", "connect", "migrate", "migrations",
]  # fmt: skip


class Status(StrEnum):
    """Lifecycle of an outbox row."""

    READY = "ready"
    SENDING = "sending"
    DONE = "done"
    DEAD = "dead"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A claimed message: its id, the decrypted envelope bytes and the attempt number."""

    id: str
    envelope: bytes
    attempts: int
    created_at_ns: int


@dataclass(frozen=True, slots=True)
class OutboxStats:
    """Row counts per status and the age of the oldest undelivered message."""

    ready: int
    sending: int
    done: int
    dead: int
    oldest_pending_created_at_ns: int | None
    next_attempt_at_ns: int | None

    @property
    def backlog(self) -> int:
        """Messages not yet acknowledged and not dead."""
        return self.ready + self.sending


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A message the sender gave up on (shown to staff; never deleted automatically)."""

    id: str
    attempts: int
    created_at_ns: int
    last_error: str | None


class Outbox:
    """The kiosk's outbox (one per state directory; safe to open from several processes)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        key: bytes,
        *,
        policy: RetryPolicy,
        clock: Clock,
        rng: random.Random | None,
        path: Path | None = None,
    ) -> None:
        self._conn = conn
        # the AEAD (and cryptography with it) is made on the first seal/open: reading the
        # counts and the sender's state (the stand's status line) needs no key material
        self._key = key
        self._aead_obj: AESGCM | None = None
        self._policy = policy
        self._clock = clock
        self._rng = rng
        self._path = path  # set by ``open``: close() then parks the connection for reuse
        self._closed = False

    @classmethod
    def open(
        cls,
        path: Path,
        key: bytes,
        *,
        policy: RetryPolicy | None = None,
        clock: Clock = time.time_ns,
        rng: random.Random | None = None,
    ) -> Outbox:
        """Open (creating and migrating) the outbox at ``path``."""
        if len(key) != 32:
            raise OutboxError("the outbox key must be 32 bytes")
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _IDLE.take(path)
        if conn is None:
            try:
                conn = connect(path)
                migrate(conn)
            except sqlite3.Error as err:
                raise OutboxError(f"cannot open outbox {path}: {err}") from err
        return cls(conn, key, policy=policy or RetryPolicy(), clock=clock, rng=rng, path=path)

    def close(self) -> None:
        """Release the connection: parked for this process's next ``open`` (see ``_IdlePool``)."""
        if self._closed:
            return
        self._closed = True
        if self._path is None:
            self._conn.close()
        else:
            _IDLE.park(self._path, self._conn)

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; rolls back on any exception, even KeyboardInterrupt."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def connection_settings(self) -> dict[str, object]:
        """The live PRAGMA values of this connection (tests assert them)."""
        conn = self._conn
        return {
            "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0],
            "synchronous": conn.execute("PRAGMA synchronous").fetchone()[0],
            "busy_timeout": conn.execute("PRAGMA busy_timeout").fetchone()[0],
            "user_version": conn.execute("PRAGMA user_version").fetchone()[0],
            "secure_delete": conn.execute("PRAGMA secure_delete").fetchone()[0],
        }

    # -- crypto ----------------------------------------------------------------------------

    @property
    def _aead(self) -> AESGCM:
        if self._aead_obj is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            self._aead_obj = AESGCM(self._key)
        return self._aead_obj

    def _seal(self, message_id: str, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, message_id.encode("ascii"))

    def _open(self, message_id: str, sealed: bytes) -> bytes:
        nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        return self._aead.decrypt(nonce, ciphertext, message_id.encode("ascii"))

    # -- producer --------------------------------------------------------------------------

    def enqueue(self, envelope_bytes: bytes, message_id: str) -> None:
        """Store an envelope for delivery in one local transaction (never touches the network).

        Enqueueing the same id with the same bytes again is a no-op; with other bytes it is an
        error (the id is the intake's idempotency key).
        """
        if not is_uuid7(message_id):
            raise OutboxError("message_id must be a lower-case UUIDv7")
        now = self._clock()
        sealed = self._seal(message_id, envelope_bytes)
        with self.transaction() as conn:
            row = conn.execute("SELECT payload, status FROM outbox WHERE id = ?", (message_id,))
            existing = row.fetchone()
            if existing is None:
                conn.execute(
                    "INSERT INTO outbox (id, schema_version, created_at_ns, payload, status,"
                    " attempts, next_attempt_at_ns, updated_at_ns) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                    (message_id, PAYLOAD_SCHEMA_VERSION, now, sealed, Status.READY, now, now),
                )
                log.info("outbox: enqueued %s", message_id)
                return
        payload, status = existing
        if status == Status.DONE or (
            payload is not None and self._same(message_id, payload, envelope_bytes)
        ):
            log.info("outbox: %s already enqueued", message_id)
            return
        raise OutboxError(f"message {message_id} already enqueued with different content")

    def _same(self, message_id: str, sealed: bytes, plaintext: bytes) -> bool:
        from cryptography.exceptions import InvalidTag

        try:
            return self._open(message_id, sealed) == plaintext
        except InvalidTag:
            return False

    # -- consumer --------------------------------------------------------------------------

    def claim(self, *, due_only: bool = True) -> OutboxMessage | None:
        """Atomically move the next due ready row to ``sending`` and return it (or None)."""
        while True:
            now = self._clock()
            horizon = now if due_only else 2**62
            with self.transaction() as conn:
                row = conn.execute(
                    "UPDATE outbox SET status = ?, attempts = attempts + 1, updated_at_ns = ?"
                    " WHERE seq = (SELECT seq FROM outbox WHERE status = ?"
                    "  AND next_attempt_at_ns <= ? ORDER BY next_attempt_at_ns, seq LIMIT 1)"
                    " RETURNING id, payload, attempts, created_at_ns",
                    (Status.SENDING, now, Status.READY, horizon),
                ).fetchone()
            if row is None:
                return None
            message_id, sealed, attempts, created_at_ns = row
            from cryptography.exceptions import InvalidTag

            try:
                envelope = self._open(message_id, sealed)
            except InvalidTag:
                log.error("outbox: %s cannot be decrypted (wrong key?), dead-lettered", message_id)
                self.mark_dead(message_id, "undecryptable")
                continue
            return OutboxMessage(message_id, envelope, int(attempts), int(created_at_ns))

    def mark_done(self, message_id: str) -> None:
        """Acknowledged by the intake: mark done and erase the payload (personal data)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET status = ?, payload = NULL, last_error = NULL,"
                " updated_at_ns = ? WHERE id = ?",
                (Status.DONE, self._clock(), message_id),
            )

    def scrub(self) -> bool:
        """Checkpoint and truncate the WAL so erased payloads leave no copy in the files.

        ``secure_delete`` zeroes freed space in database pages, but older WAL frames still hold
        the sealed payload until they are overwritten; a TRUNCATE checkpoint removes them.
        Returns False when a reader kept the checkpoint from finishing (the next call retries).
        After a complete truncate the new WAL holds one frame: the ``sync_state`` page.
        """
        busy, _, _ = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if int(busy) != 0:
            return False
        # Start the next WAL here (its header sync is paid by the sender, not by the resident's
        # next enqueue): one small write of a timestamp, never a payload.
        self.set_state(STATE_WAL_STARTED, str(self._clock()))
        return True

    def mark_retry(self, message_id: str, error: str) -> Status:
        """A retryable failure: schedule a retry with backoff, or dead-letter at the cap."""
        now = self._clock()
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT attempts, created_at_ns FROM outbox WHERE id = ? AND status = ?",
                (message_id, Status.SENDING),
            ).fetchone()
            if row is None:
                return Status.READY
            attempts, created_at_ns = int(row[0]), int(row[1])
            if self._policy.exhausted(attempts, (now - created_at_ns) / NS_PER_S):
                status, next_at = Status.DEAD, now
            else:
                delay = self._policy.delay_s(attempts, self._rng)
                status, next_at = Status.READY, now + int(delay * NS_PER_S)
            conn.execute(
                "UPDATE outbox SET status = ?, next_attempt_at_ns = ?, last_error = ?,"
                " updated_at_ns = ? WHERE id = ?",
                (status, next_at, error[:MAX_ERROR_CHARS], now, message_id),
            )
        return status

    def mark_dead(self, message_id: str, error: str) -> None:
        """A permanent failure: keep the row (and payload) for staff, never retry automatically."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET status = ?, last_error = ?, updated_at_ns = ? WHERE id = ?",
                (Status.DEAD, error[:MAX_ERROR_CHARS], self._clock(), message_id),
            )

    def recover(self) -> int:
        """Return rows left in ``sending`` by a crashed sender to ``ready``; returns how many."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE outbox SET status = ?, next_attempt_at_ns = ?, updated_at_ns = ?"
                " WHERE status = ?",
                (Status.READY, self._clock(), self._clock(), Status.SENDING),
            )
            count = cur.rowcount
        if count:
            log.warning("outbox: recovered %d message(s) left in sending", count)
        return count

    def requeue_dead(self, message_id: str) -> bool:
        """Staff action: give a dead message a fresh start; True if it was dead."""
        with self.transaction() as conn:
            cur = conn.execute(
                "UPDATE outbox SET status = ?, attempts = 0, next_attempt_at_ns = ?,"
                " updated_at_ns = ? WHERE id = ? AND status = ? AND payload IS NOT NULL",
                (Status.READY, self._clock(), self._clock(), message_id, Status.DEAD),
            )
            return cur.rowcount == 1

    def prune_done(self, older_than_s: float) -> int:
        """Delete acknowledged rows older than ``older_than_s``; returns how many."""
        cutoff = self._clock() - int(older_than_s * NS_PER_S)
        with self.transaction() as conn:
            cur = conn.execute(
                "DELETE FROM outbox WHERE status = ? AND updated_at_ns < ?", (Status.DONE, cutoff)
            )
            return cur.rowcount

    # -- inspection ------------------------------------------------------------------------

    def stats(self) -> OutboxStats:
        """Counts per status and timing of the backlog."""
        counts = dict.fromkeys(Status, 0)
        for status, count in self._conn.execute(
            "SELECT status, COUNT(*) FROM outbox GROUP BY status"
        ):
            counts[Status(status)] = int(count)
        oldest, next_at = self._conn.execute(
            "SELECT MIN(created_at_ns), MIN(CASE WHEN status = 'ready' THEN next_attempt_at_ns END)"
            " FROM outbox WHERE status IN ('ready', 'sending')"
        ).fetchone()
        return OutboxStats(
            ready=counts[Status.READY],
            sending=counts[Status.SENDING],
            done=counts[Status.DONE],
            dead=counts[Status.DEAD],
            oldest_pending_created_at_ns=oldest,
            next_attempt_at_ns=next_at,
        )

    def dead_letters(self) -> list[DeadLetter]:
        """Every dead message, oldest first."""
        rows = self._conn.execute(
            "SELECT id, attempts, created_at_ns, last_error FROM outbox WHERE status = ?"
            " ORDER BY seq",
            (Status.DEAD,),
        )
        return [DeadLetter(r[0], int(r[1]), int(r[2]), r[3]) for r in rows]

    def get_state(self, name: str) -> str | None:
        """A value of the sender's small key/value state (last error, last contact ...)."""
        row = self._conn.execute("SELECT value FROM sync_state WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_state(self, name: str, value: str | None) -> None:
        """Set (or with None delete) a state value."""
        with self.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM sync_state WHERE name = ?", (name,))
            else:
                conn.execute(
                    "INSERT INTO sync_state (name, value) VALUES (?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )
