"""Issue 14: the filing POST checks on the event loop and hands the commit thread one batch at a
time (GroupCommitter.submit); PostgreSQL statements go out with ``$n`` parameters; stamps."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text

from server_sync.envelope import format_timestamp
from server_sync.ids import new_uuid7
from server_sync.intake.clock import PRECISE_FORMAT, stamp, stamp_seconds
from server_sync.intake.errors import IdempotencyConflictError
from server_sync.intake.records import PostResult
from server_sync.intake.store.audit import INSERT_AUDIT_SQL
from server_sync.intake.store.filings import INSERT_FILING_SQL
from server_sync.intake.store.group_commit import GroupCommitter
from server_sync.intake.store.pg_direct import batch_params, batch_statement, positional
from server_sync.intake.store.writer_lock import writer_lock_for
from tests.unit.intake.test_db_and_store import posted

LOOP_POSTS = 30


@pytest.fixture
def committer(engine: Engine) -> Iterator[GroupCommitter]:
    writer = GroupCommitter(engine)
    yield writer
    writer.close()


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


async def _submit_all(writer: GroupCommitter, jobs: list[tuple[str, str]]) -> list[object]:
    async def one(fid: str, body: str) -> object:
        try:
            return await writer.submit(posted(fid, body=body))
        except Exception as err:
            return err

    return list(await asyncio.gather(*(one(fid, body) for fid, body in jobs)))


def test_posts_checked_on_the_loop_share_one_commit_and_keep_their_answers(
    engine: Engine, committer: GroupCommitter
) -> None:
    """Everything the loop queued before the commit thread took the batch is one commit; a
    replay inside the batch is a duplicate, another body under the same key a 409."""
    ids = [new_uuid7() for _ in range(LOOP_POSTS - 2)]
    jobs = [(fid, '{"n":1}') for fid in ids] + [(ids[0], '{"n":1}'), (ids[1], '{"n":2}')]
    answers = asyncio.run(_submit_all(committer, jobs))
    assert answers[: len(ids)] == [PostResult.ACCEPTED] * len(ids)
    assert answers[-2] is PostResult.DUPLICATE
    assert isinstance(answers[-1], IdempotencyConflictError)
    stats = committer.stats()
    assert (stats.filings, stats.commits, stats.largest_batch) == (LOOP_POSTS, 1, LOOP_POSTS)
    assert _count(engine, "filings") == len(ids)
    assert _count(engine, "audit_log") == len(ids)


def test_a_lone_post_commits_without_waiting(engine: Engine, committer: GroupCommitter) -> None:
    async def scenario() -> list[object]:
        first = await asyncio.wait_for(committer.submit(posted(new_uuid7())), timeout=5)
        later = [committer.submit(posted(new_uuid7())) for _ in range(5)]
        return [first, *await asyncio.gather(*later)]

    assert asyncio.run(scenario()) == [PostResult.ACCEPTED] * 6
    stats = committer.stats()
    assert (stats.filings, stats.commits, stats.largest_batch) == (6, 2, 5)
    assert _count(engine, "filings") == 6


def test_posts_checked_while_another_process_commits_join_the_waiting_batch(
    engine: Engine, committer: GroupCommitter
) -> None:
    """The commit thread takes the queue once it holds the writer lock: a post queued after the
    batch was handed over, while another process was committing, still joins it."""
    other_process = writer_lock_for(engine)
    assert other_process is not None

    async def scenario() -> list[object]:
        held = other_process.held()
        held.__enter__()
        try:
            first = asyncio.ensure_future(committer.submit(posted(new_uuid7())))
            await asyncio.sleep(0.1)  # handed to the commit thread, which waits for the lock
            later = [asyncio.ensure_future(committer.submit(posted(new_uuid7()))) for _ in range(5)]
            await asyncio.sleep(0.1)
            assert not first.done()  # nothing commits while the other process holds the lock
        finally:
            held.__exit__(None, None, None)
        return list(await asyncio.gather(first, *later))

    try:
        assert asyncio.run(scenario()) == [PostResult.ACCEPTED] * 6
    finally:
        other_process.close()
    stats = committer.stats()
    assert (stats.filings, stats.commits, stats.largest_batch) == (6, 1, 6)


def test_a_failed_batch_answers_every_waiting_post_with_the_error(
    engine: Engine, committer: GroupCommitter
) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_log"))  # the batch's second insert fails
    answers = asyncio.run(_submit_all(committer, [(new_uuid7(), "{}") for _ in range(4)]))
    assert all(isinstance(a, sqlite3.OperationalError) for a in answers), answers
    assert _count(engine, "filings") == 0  # rolled back as a whole


def test_loop_batches_and_blocking_callers_share_the_writer(
    engine: Engine, committer: GroupCommitter
) -> None:
    """The blocking path (threads) and the loop's batches never use the connection at once."""
    threaded: list[object] = []

    def blocking(n: int) -> None:
        for _ in range(n):
            threaded.append(committer.insert(posted(new_uuid7())))

    threads = [threading.Thread(target=blocking, args=(10,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    looped = asyncio.run(_submit_all(committer, [(new_uuid7(), "{}") for _ in range(30)]))
    for thread in threads:
        thread.join(30)
    assert Counter(map(str, threaded + looped)) == {str(PostResult.ACCEPTED): 60}
    assert _count(engine, "filings") == 60


def test_named_parameters_become_postgres_numbers_once_per_name() -> None:
    sql, names = positional("SELECT a FROM t WHERE k = :k AND f = :f OR x = :k AND t = '10:30'")
    assert sql == "SELECT a FROM t WHERE k = $1 AND f = $2 OR x = $1 AND t = '10:30'"
    assert names == ("k", "f")


def test_a_batch_statement_numbers_every_value_once_in_parameter_order() -> None:
    rows = 3
    _, filing_names = positional(INSERT_FILING_SQL)
    _, audit_names = positional(INSERT_AUDIT_SQL)
    statement = batch_statement(rows)
    width = len(filing_names) * rows + len(audit_names) * rows
    numbers = [int(n) for n in re.findall(r"\$(\d+)", statement)]
    assert sorted(numbers) == list(range(1, width + 1))  # each placeholder exactly once
    assert statement.startswith("WITH f AS (INSERT INTO filings")
    filing_rows = [{name: f"{name}-{i}" for name in filing_names} for i in range(rows)]
    audit_rows = [{name: f"a{name}-{i}" for name in audit_names} for i in range(rows)]
    params = batch_params(filing_rows, audit_rows)
    # $n of the statement names the n-th parameter: row 2's kiosk_id, the last audit's detail
    kiosk_n = len(filing_names) * 2 + filing_names.index("kiosk_id") + 1
    assert params[kiosk_n - 1] == "kiosk_id-2"
    assert params[-1] == "adetail-2"
    assert f"${kiosk_n}" in statement


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 27, 10, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 27, 10, 0, 0, 120, tzinfo=UTC),
        datetime(2027, 1, 1, 8, 59, 59, 999999, tzinfo=timezone(timedelta(hours=9))),
        datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_fast_stamps_are_the_strftime_texts(moment: datetime) -> None:
    assert stamp(moment) == moment.astimezone(UTC).strftime(PRECISE_FORMAT)
    assert stamp_seconds(moment) == format_timestamp(moment)
