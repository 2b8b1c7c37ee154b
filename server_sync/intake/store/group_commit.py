"""Group commit of posted filings: concurrent inserts share one transaction (one fsync).

Every commit of the intake database is an fsync (SQLite ``synchronous=FULL``, PostgreSQL's WAL
flush) and a 201 is only sent after it. One commit per filing would cap the intake at one filing
per fsync; here the request that finds no commit running becomes the leader, takes every filing
queued so far (up to ``max_batch``), stores them in one transaction and wakes the others. Each
filing still gets its own outcome (accepted, duplicate, or its own error); if the shared
transaction fails as a whole, the batch is retried one filing per transaction.

So that batches really form, a POST announces itself (:meth:`GroupCommitter.arriving`) as soon as
its envelope parsed; a leader waits — at most :data:`GATHER_WAIT_S`, and only while announced
requests are still being checked — for them to queue before it commits. A lone request never
waits (nobody else is arriving).

The web handler uses :meth:`GroupCommitter.submit` instead: the checks run on the event loop and
only the batch goes to a thread — one hand-off per commit instead of two thread hops per request
(measured: the per-request hops and the GIL handovers between request threads cost more CPU than
the checks). Whatever the loop verified while a commit was running forms the next batch; and
while several kiosks are posting (the last batch held more than one filing), the drain lets the
next batch fill — at most :data:`LOOP_GATHER_WAIT_S`, and only until as many filings are queued
as the recent largest batch (:mod:`.batch_fill`). Measured (issue 14, bench/intake_post.py,
8 kiosks on 2 workers, interleaved with the previous tree): batches of ~2.7 became ~4.0 and the
intake's CPU per filing fell ~14 % (median of 26 interleaved pairs, 21 of them lower: fewer
fsyncs, WAL page writes and thread hand-offs per filing); on PostgreSQL batches of 2.2 became 3.9
and its throughput rose 1.22x (one 3-turn run). A lone kiosk's filing never waits (its batches
hold one filing). Durability is the same: each filing's commit is over before its answer.

With several worker processes on one SQLite file, the committers take turns through a file lock
(:mod:`.writer_lock`) instead of SQLite's sleeping busy handler. On PostgreSQL the batch goes
through psycopg directly (:mod:`.pg_direct`).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from server_sync.intake.records import Filing, Kiosk, PostResult
from server_sync.intake.store.batch_fill import BatchFill
from server_sync.intake.store.filings import (
    SearchKeys,
    filing_key,
    insert_posted_batch,
    insert_posted_filing,
)
from server_sync.intake.store.pg_direct import PgConnections, is_postgres, pg_connections
from server_sync.intake.store.sqlite_direct import SqliteBatchWriter, close_reader, is_sqlite
from server_sync.intake.store.writer_lock import writer_lock_for

log = logging.getLogger(__name__)

DEFAULT_MAX_BATCH = 64
#: longest a leader waits for announced requests still being verified (about one fsync)
GATHER_WAIT_S = 0.001
#: longest the loop's drain waits for the next batch to fill while several kiosks are posting
LOOP_GATHER_WAIT_S = 0.002


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
    #: woken when the job is finished or should lead the next commit (shares the committer's lock);
    #: None for a job submitted from the event loop (its future is resolved instead)
    wake: threading.Condition | None
    keys: dict[str, Any] | None = None
    #: the key id that must still be the kiosk's current, unrevoked one at the commit (the
    #: POST verified against a kept kiosk row instead of reading it; PostgreSQL only)
    guard: str | None = None
    result: PostResult | None = None
    error: BaseException | None = None
    finished: bool = field(default=False)

    def outcome(self) -> PostResult:
        if self.error is not None:
            raise self.error
        if self.result is None:  # pragma: no cover - finished jobs carry one or the other
            raise RuntimeError("group commit left a job without an outcome")
        return self.result


class RecheckNeeded(Exception):
    """A guarded filing was not stored: its kiosk row changed, or its key was stored meanwhile
    (the POST is checked again from the database)."""


@dataclass(slots=True)
class Arrival:
    """A POST announced to the committer (see :meth:`GroupCommitter.arriving`)."""

    queued: bool = False


class GroupCommitter:
    """Store verified posted filings; concurrent callers share commits."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
        direct: bool = True,
        gather_wait_s: float = GATHER_WAIT_S,
        loop_gather_wait_s: float = LOOP_GATHER_WAIT_S,
    ) -> None:
        self._engine = engine
        self._lock = writer_lock_for(engine)
        self._direct: SqliteBatchWriter | None = None
        self._pg: PgConnections | None = None
        if direct and is_sqlite(engine):
            self._direct = SqliteBatchWriter(engine)
        elif direct and is_postgres(engine):
            self._pg = pg_connections(engine)
        self._max_batch = max_batch
        self._mutex = threading.RLock()
        self._cond = threading.Condition(self._mutex)
        #: the gathering leader waits here (on the same lock): one wake-up per arrival, not one
        #: per waiting request (notify_all on one condition woke every follower each time)
        self._gathering = threading.Condition(self._mutex)
        self._pending: list[_Job] = []
        self._leading = False
        self._arriving = 0
        self._gather_wait_s = gather_wait_s
        self._commits = 0
        self._filings = 0
        self._largest = 0
        #: one writer at a time on the direct connection (loop batches and thread leaders)
        self._writing = threading.Lock()
        #: the event loop's queue (see :meth:`submit`): appended on the loop, taken by the
        #: commit thread once it holds the writer lock
        self._loop_lock = threading.Lock()
        self._loop_jobs: list[tuple[_Job, asyncio.Future[PostResult]]] = []
        self._loop_draining = False
        self._drain_task: asyncio.Task[None] | None = None
        #: the drain lets the next batch fill while several kiosks post (see the module doc)
        self._loop_fill = BatchFill(loop_gather_wait_s)
        self._executor: ThreadPoolExecutor | None = None
        #: the last kiosk row each kiosk's POST read, by kiosk id (a hint only: a POST that
        #: verified against it is stored with a guard, see :meth:`submit`)
        self.kiosk_hints: dict[str, Kiosk] = {}

    @property
    def guards(self) -> bool:
        """Whether :meth:`submit` takes a ``guard`` (PostgreSQL's direct writer)."""
        return self._pg is not None

    @contextmanager
    def arriving(self) -> Iterator[Arrival]:
        """Announce a request that will probably :meth:`insert` soon (pass the arrival there)."""
        arrival = Arrival()
        with self._cond:
            self._arriving += 1
        try:
            yield arrival
        finally:
            if not arrival.queued:  # refused, duplicate or failed: nothing to wait for
                with self._cond:
                    self._arriving -= 1
                    self._gathering.notify()

    def _gather(self) -> None:
        """With the condition held: wait briefly while announced requests may still queue."""
        deadline = time.monotonic() + self._gather_wait_s
        while self._arriving > 0 and len(self._pending) < self._max_batch:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._gathering.wait(remaining)

    def insert(
        self,
        filing: Filing,
        arrival: Arrival | None = None,
        keys: dict[str, Any] | None = None,
    ) -> PostResult:
        """Like ``store.insert_posted_filing``, but possibly in a transaction with others.

        ``keys``: the filing's search keys if the caller has them (``parsed_index_params``).
        """
        wake = threading.Condition(self._mutex)
        job = _Job(filing, wake, keys)
        with self._cond:
            self._pending.append(job)
            if arrival is not None and not arrival.queued:
                arrival.queued = True
                self._arriving -= 1
                self._gathering.notify()
        while True:
            with self._cond:
                while not job.finished and self._leading:
                    wake.wait()
                if job.finished:
                    return job.outcome()
                self._leading = True
            batch: list[_Job] = []
            try:
                # the batch is taken once the other processes' commit is over: whatever arrived
                # while this leader waited for the writer lock joins it (fewer, larger commits)
                with self._lock.held() if self._lock else nullcontext():
                    with self._cond:
                        self._gather()
                        batch = self._pending[: self._max_batch]
                        del self._pending[: len(batch)]
                    with self._writing:
                        self._commit(batch)
            finally:
                with self._cond:
                    for item in batch:
                        if not item.finished:  # only on an unexpected BaseException
                            item.error = item.error or RuntimeError("group commit interrupted")
                            item.finished = True
                        if item is not job and item.wake is not None:
                            item.wake.notify()
                    self._leading = False
                    if self._pending and self._pending[0].wake is not None:
                        self._pending[0].wake.notify()  # the oldest one leads the next commit

    async def submit(
        self, filing: Filing, keys: dict[str, Any] | None = None, guard: str | None = None
    ) -> PostResult:
        """:meth:`insert` for a caller on the event loop (the filing POST handler).

        ``guard`` (only if :attr:`guards`): the key id the POST verified with; the filing is
        stored only if that is still the kiosk's current key and the kiosk is not revoked, in
        the batch's own statement — otherwise, or if its key was stored meanwhile, nothing is
        stored for it and :class:`RecheckNeeded` is raised.

        The job joins the loop's queue; if no batch is being written, a drain task starts and
        hands the commit thread one batch at a time. The thread takes the queue only once it
        holds the writer lock, so whatever the loop checked while the previous commit (of this
        or another process) ran joins the batch. A lone filing commits at once.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[PostResult] = loop.create_future()
        with self._loop_lock:
            self._loop_jobs.append((_Job(filing, None, keys, guard), future))
            queued = len(self._loop_jobs)
        self._loop_fill.queued(queued)
        if not self._loop_draining:
            self._loop_draining = True
            self._drain_task = loop.create_task(self._drain(loop))  # referenced while it runs
        return await future

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        """Hand the loop's queue to the commit thread batch by batch until it is empty."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="group-commit")
        try:
            while True:
                with self._loop_lock:
                    queued = len(self._loop_jobs)
                if not queued:
                    return
                await self._loop_fill.wait(loop, queued)
                batch = await loop.run_in_executor(self._executor, self._commit_queued)
                self._loop_fill.committed(len(batch))
                for job, future in batch:
                    if future.done():  # the client went away; the filing is stored anyway
                        continue
                    if job.error is not None:
                        future.set_exception(job.error)
                    elif job.result is not None:
                        future.set_result(job.result)
                    else:  # pragma: no cover - _commit_queued finishes every job
                        future.set_exception(RuntimeError("group commit left a job open"))
        except BaseException as err:  # cancelled at shutdown: nobody should wait forever
            failure = err if isinstance(err, Exception) else RuntimeError("interrupted")
            with self._loop_lock:
                left, self._loop_jobs = self._loop_jobs, []
            for _job, future in left:
                if not future.done():
                    future.set_exception(failure)
            raise
        finally:
            self._loop_draining = False

    def _commit_queued(self) -> list[tuple[_Job, asyncio.Future[PostResult]]]:
        """In the commit thread: take the loop's queue under the writer lock and commit it."""
        batch: list[tuple[_Job, asyncio.Future[PostResult]]] = []
        try:
            with self._lock.held() if self._lock else nullcontext(), self._writing:
                with self._loop_lock:
                    batch = self._loop_jobs[: self._max_batch]
                    del self._loop_jobs[: len(batch)]
                if batch:
                    self._commit([job for job, _ in batch])
        except Exception as err:  # e.g. the database went away: each waiting request sees it
            for job, _ in batch:
                if not job.finished:
                    job.error, job.finished = err, True
        return batch

    def _write(self, batch: list[_Job]) -> list[PostResult | Exception]:
        """One transaction for the batch (the caller holds the writer lock)."""
        filings = [job.filing for job in batch]
        keys: SearchKeys = {filing_key(j.filing): j.keys for j in batch if j.keys is not None}
        if self._direct is not None:
            return self._direct.write(filings, keys)
        if self._pg is not None:
            guards = {i: j.guard for i, j in enumerate(batch) if j.guard is not None}
            return self._pg.write_batch(filings, keys, guards)
        if any(job.guard is not None for job in batch):  # pragma: no cover - see `guards`
            raise RuntimeError("guarded filings need PostgreSQL's direct writer")
        with self._engine.begin() as conn:
            return insert_posted_batch(conn, filings, keys)

    def _commit(self, batch: list[_Job]) -> None:
        try:
            outcomes = self._write(batch)
        except (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError):
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
        if self._executor is not None:
            self._executor.shutdown(wait=True)  # a batch being written finishes first
            self._executor = None
        close_reader(self._engine)  # the event loop's kept read connection
        if self._direct is not None:
            self._direct.close()
            self._direct = None
        if self._pg is not None:
            self._pg.close()
            self._pg = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def stats(self) -> CommitStats:
        """Filings stored and commits made so far (the mean batch size is their ratio)."""
        with self._cond:
            return CommitStats(self._filings, self._commits, self._largest)

    def _one_by_one(self, batch: list[_Job]) -> None:
        for job in batch:
            if job.guard is not None:  # the POST checks it again, reading the kiosk row
                job.error, job.finished = RecheckNeeded(job.filing.filing_id), True
                continue
            try:
                job.result = insert_posted_filing(self._engine, job.filing)
            except Exception as err:
                job.error = err
            if job.result is PostResult.ACCEPTED:
                log.info("stored 1 filing(s): %s", job.filing.filing_id)
            job.finished = True
