"""Group commit of posted filings: concurrent inserts share one transaction (one fsync).

Every commit of the intake database is an fsync (SQLite ``synchronous=FULL``, PostgreSQL's WAL
flush) and a 201 is only sent after it. One commit per filing would cap the intake at one filing
per fsync; here the request that finds no commit running becomes the leader, takes every filing
queued so far (up to ``max_batch``), stores them in one transaction and wakes the others. Each
filing still gets its own outcome (accepted, duplicate, or its own error); if the shared
transaction fails as a whole, the batch is retried one filing per transaction.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from server_sync.intake.records import Filing, PostResult
from server_sync.intake.store.filings import (
    existing_outcome,
    get_filing_on,
    insert_filing_on,
    insert_posted_filing,
)

DEFAULT_MAX_BATCH = 64


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

    def __init__(self, engine: Engine, *, max_batch: int = DEFAULT_MAX_BATCH) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._cond = threading.Condition()
        self._pending: list[_Job] = []
        self._leading = False

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

    def _commit(self, batch: list[_Job]) -> None:
        outcomes: list[tuple[PostResult | None, BaseException | None]] = []
        try:
            with self._engine.begin() as conn:
                for job in batch:
                    existing = get_filing_on(conn, job.filing.filing_id)
                    if existing is None:
                        insert_filing_on(conn, job.filing)
                        outcomes.append((PostResult.ACCEPTED, None))
                        continue
                    try:
                        outcomes.append(
                            (existing_outcome(existing, job.filing.filing_sha256), None)
                        )
                    except Exception as err:  # idempotency conflict: this filing's own answer
                        outcomes.append((None, err))
        except IntegrityError:
            # another process (or a clerk's paper record) won a race: one transaction each
            self._one_by_one(batch)
            return
        for job, (result, error) in zip(batch, outcomes, strict=True):
            job.result, job.error, job.finished = result, error, True

    def _one_by_one(self, batch: list[_Job]) -> None:
        for job in batch:
            try:
                job.result = insert_posted_filing(self._engine, job.filing)
            except Exception as err:
                job.error = err
            job.finished = True
