"""Group commit on a real SQLite file: concurrent posts share commits, each keeps its own answer."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Sequence

import pytest
from sqlalchemy import Engine, text

from server_sync.ids import new_uuid7
from server_sync.intake.db import open_engine
from server_sync.intake.errors import IdempotencyConflictError
from server_sync.intake.records import Filing, PostResult
from server_sync.intake.store import filings as filings_store
from server_sync.intake.store import sqlite_direct
from server_sync.intake.store.filings import insert_filing_on, plan_batch
from server_sync.intake.store.group_commit import GroupCommitter
from tests.unit.intake.test_db_and_store import posted

THREADS = 24


@pytest.fixture(params=["direct", "sqlalchemy"])
def writer(request: pytest.FixtureRequest, engine: Engine) -> Iterator[GroupCommitter]:
    """A committer on the sqlite3 connection itself (the default) or through SQLAlchemy."""
    committer = GroupCommitter(engine, direct=request.param == "direct")
    yield committer
    committer.close()


def _run_all(writer: GroupCommitter, jobs: list[tuple[str, str]]) -> list[object]:
    """Insert every (filing id, body) from its own thread, all released together."""
    barrier = threading.Barrier(len(jobs))
    answers: list[object] = [None] * len(jobs)

    def worker(i: int, fid: str, body: str) -> None:
        barrier.wait()
        try:
            answers[i] = writer.insert(posted(fid, body=body))
        except Exception as err:
            answers[i] = err

    threads = [
        threading.Thread(target=worker, args=(i, fid, body)) for i, (fid, body) in enumerate(jobs)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return answers


def test_concurrent_posts_are_all_stored_with_fewer_commits(
    engine: Engine, writer: GroupCommitter
) -> None:
    ids = [new_uuid7() for _ in range(THREADS)]
    answers = _run_all(writer, [(fid, '{"a":1}') for fid in ids])
    assert answers == [PostResult.ACCEPTED] * THREADS
    with engine.connect() as conn:
        stored = {r[0] for r in conn.execute(text("SELECT filing_id FROM filings"))}
        audits = conn.execute(
            text("SELECT COUNT(*) FROM audit_log WHERE action = 'filing.received'")
        ).scalar_one()
    assert stored == set(ids) and audits == THREADS
    stats = writer.stats()
    assert stats.filings == THREADS and stats.commits < THREADS  # batches shared their fsync
    assert stats.mean_batch > 1 and stats.largest_batch >= stats.mean_batch


def test_replays_and_conflicts_in_one_batch_get_their_own_answers(
    engine: Engine, writer: GroupCommitter
) -> None:
    fid, other = new_uuid7(), new_uuid7()
    jobs = [(fid, '{"a":1}')] * 6 + [(fid, '{"a":2}')] * 2 + [(other, '{"b":1}')]
    answers = _run_all(writer, jobs)
    kinds = Counter(
        "conflict" if isinstance(a, IdempotencyConflictError) else str(a) for a in answers
    )
    # the same key: one accepted, the same bytes again duplicate, other bytes a 409 each —
    # unless a {"a":2} body came first, then it is the stored one and the {"a":1} ones conflict
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT filing_id, filing_json FROM filings ORDER BY filing_id")
        ).all()
    assert len(rows) == 2
    stored_body = {r[0]: r[1] for r in rows}[fid]
    winners = 6 if stored_body == '{"a":1}' else 2
    assert kinds[str(PostResult.ACCEPTED)] == 2  # fid once, other once
    assert kinds[str(PostResult.DUPLICATE)] == winners - 1
    assert kinds["conflict"] == 8 - winners


def test_a_failing_batch_falls_back_to_one_transaction_each(
    engine: Engine, writer: GroupCommitter, monkeypatch: pytest.MonkeyPatch
) -> None:
    fid = new_uuid7()
    with engine.begin() as conn:  # a row written behind the batch's back (another process)
        insert_filing_on(conn, posted(fid))
    calls = {"n": 0}

    def blind_once(
        filings: Sequence[Filing], known: dict[str, str]
    ) -> tuple[list[PostResult | Exception], list[Filing]]:
        calls["n"] += 1  # the batch does not see it, so its INSERT collides
        return plan_batch(filings, {} if calls["n"] == 1 else known)

    monkeypatch.setattr(filings_store, "plan_batch", blind_once)
    monkeypatch.setattr(sqlite_direct, "plan_batch", blind_once)
    assert writer.insert(posted(fid)) is PostResult.DUPLICATE  # answered by the fallback
    assert calls["n"] == 1
    assert writer.stats().commits == 0  # the failed batch is not counted
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM filings")).scalar_one() == 1


def test_the_direct_writer_commits_durably_with_the_engines_pragmas(engine: Engine) -> None:
    committer = GroupCommitter(engine)
    assert committer.insert(posted(new_uuid7())) is PostResult.ACCEPTED
    raw = engine.raw_connection()  # the pool's connections carry the pragmas of db.py
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    finally:
        raw.close()
    committer.close()
    reopened = open_engine(str(engine.url))  # a fresh connection sees the committed row
    with reopened.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one() >= 1
    reopened.dispose()
