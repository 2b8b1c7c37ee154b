"""Group commit of posted filings: concurrent inserts share one transaction (one fsync).

Every commit of the intake database is an fsync (SQLite ``synchronous=FULL``, PostgreSQL's WAL
flush) and a 201 is only sent after it. One commit per filing would cap the intake at one filing
per fsync; here the request that finds no commit running becomes the leader, takes every filing
queued so far (up to ``max_batch``), stores them in one transaction and wakes the others. Each
filing still gets its own outcome (accepted, duplicate, or its own error); if the shared
transaction fails as a whole, the batch is retried one filing per transaction. With several
worker processes on one SQLite file, the committers take turns through a file lock
(:mod:`.writer_lock`) instead of SQLite's sleeping busy handler.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from server_sync.intake.records import Filing, PostResult
from server_sync.intake.store.filings import insert_posted_batch, insert_posted_filing
from server_sync.intake.store.sqlite_direct import SqliteBatchWriter, is_sqlite
from server_sync.intake.store.writer_lock import writer_lock_for

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 64


@dataclass(frozen=True, slots=True)
class CommitStats:
    """Counters of a :class:`GroupCommitter` (batched commits only)."""

    filings: int
    commits: int
    largest_batch: int

    @property
    def mean_batch(self) -> float:
        """Filings per commit (0 before the first commit)."""
        return self.filings / self.commits if self.commits else 0.0


@dataclass(slots=True)
class _Job:
    filing: Filing
    result: PostResult | None = None
    error: BaseException | None = None
    finished: bool = field(default=False)

    def outcome(self) -> PostResult:
        if self.error is not None:
            raise self.error
        if self.result is None:  # pragma: no cover - finished jobs carry one or the other
            raise RuntimeError("group commit left a job without an outcome")
        return self.result


class GroupCommitter:
    """Store verified posted filings; concurrent callers share commits."""

    def __init__(
        self, engine: Engine, *, max_batch: int = DEFAULT_MAX_BATCH, direct: bool = True
    ) -> None:
        self._engine = engine
        self._lock = writer_lock_for(engine)
        self._direct: SqliteBatchWriter | None = None
        if direct and is_sqlite(engine):
            self._direct = SqliteBatchWriter(engine)
        self._max_batch = max_batch
        self._cond = threading.Condition()
        self._pending: list[_Job] = []
        self._leading = False
        self._commits = 0
        self._filings = 0
        self._largest = 0

    def insert(self, filing: Filing) -> PostResult:
        """Like ``store.insert_posted_filing``, but possibly in a transaction with others."""
        job = _Job(filing)
        with self._cond:
            self._pending.append(job)
        while True:
            with self._cond:
                while not job.finished and self._leading:
                    self._cond.wait()
                if job.finished:
                    return job.outcome()
                self._leading = True
                batch = self._pending[: self._max_batch]
                del self._pending[: len(batch)]
            try:
                self._commit(batch)
            finally:
                with self._cond:
                    for item in batch:
                        if not item.finished:  # only on an unexpected BaseException
                            item.error = item.error or RuntimeError("group commit interrupted")
                            item.finished = True
                    self._leading = False
                    self._cond.notify_all()

    def _write(self, filings: list[Filing]) -> list[PostResult | Exception]:
        with self._lock.held() if self._lock else nullcontext():
            if self._direct is not None:
                return self._direct.write(filings)
            with self._engine.begin() as conn:
                return insert_posted_batch(conn, filings)

    def _commit(self, batch: list[_Job]) -> None:
        try:
            outcomes = self._write([job.filing for job in batch])
        except (IntegrityError, sqlite3.IntegrityError):
            # another process (or a clerk's paper record) won a race: one transaction each
            self._one_by_one(batch)
            return
        accepted = [
            job.filing.filing_id
            for job, outcome in zip(batch, outcomes, strict=True)
            if outcome is PostResult.ACCEPTED
        ]
        if accepted:  # one line per commit (ids only, no personal data)
            log.info("stored %d filing(s): %s", len(accepted), " ".join(accepted))
        with self._cond:
            self._commits += 1
            self._filings += len(batch)
            self._largest = max(self._largest, len(batch))
        for job, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, PostResult):
                job.result = outcome
            else:
                job.error = outcome
            job.finished = True

    def close(self) -> None:
        """Release the writer's connection and lock file (at shutdown)."""
        if self._direct is not None:
            self._direct.close()
            self._direct = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def stats(self) -> CommitStats:
        """Filings stored and commits made so far (the mean batch size is their ratio)."""
        with self._cond:
            return CommitStats(self._filings, self._commits, self._largest)

    def _one_by_one(self, batch: list[_Job]) -> None:
        for job in batch:
            try:
                job.result = insert_posted_filing(self._engine, job.filing)
            except Exception as err:
                job.error = err
            if job.result is PostResult.ACCEPTED:
                log.info("stored 1 filing(s): %s", job.filing.filing_id)
            job.finished = True
