"""Group commit that really groups: a leader waits for announced posts, never for nobody.

Real SQLite file and the real committer (direct sqlite3 path and, on PostgreSQL, psycopg path);
the gather window is made long so that the outcome does not depend on timing: a leader that
waited shows up as one commit of two filings, one that did not wait as a quick return.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from server_sync.ids import new_uuid7
from server_sync.intake.errors import IdempotencyConflictError
from server_sync.intake.records import Filing, PostResult
from server_sync.intake.store.group_commit import GroupCommitter
from tests.integration.intake.db_checks import audit_actions, filing_count
from tests.unit.intake.test_db_and_store import posted

#: long enough that a leader waiting for a withdrawn arrival would be noticed
LONG_WAIT_S = 5.0


@pytest.fixture
def committer(engine: Engine) -> Iterator[GroupCommitter]:
    writer = GroupCommitter(engine, gather_wait_s=LONG_WAIT_S)
    yield writer
    writer.close()


def _insert_in_thread(
    writer: GroupCommitter, filing_id: str
) -> tuple[threading.Thread, list[object]]:
    answer: list[object] = []

    def run() -> None:
        with writer.arriving() as arrival:
            answer.append(writer.insert(posted(filing_id), arrival))

    thread = threading.Thread(target=run)
    thread.start()
    return thread, answer


def test_leader_waits_for_an_announced_post_and_commits_both_at_once(
    engine: Engine, committer: GroupCommitter
) -> None:
    first, second = new_uuid7(), new_uuid7()
    with committer.arriving() as late:  # announced, still being checked
        thread, answer = _insert_in_thread(committer, first)
        time.sleep(0.2)
        assert thread.is_alive() and filing_count(engine, first) == 0  # the leader waits for us
        assert committer.insert(posted(second), late) is PostResult.ACCEPTED
    thread.join(10)
    assert answer == [PostResult.ACCEPTED]
    assert filing_count(engine, first) == filing_count(engine, second) == 1
    stats = committer.stats()
    assert (stats.filings, stats.commits, stats.largest_batch) == (2, 1, 2)


def test_a_withdrawn_post_releases_the_leader_at_once(
    engine: Engine, committer: GroupCommitter
) -> None:
    fid = new_uuid7()
    started = time.monotonic()
    with committer.arriving():  # e.g. refused at the signature check: never inserts
        thread, answer = _insert_in_thread(committer, fid)
        time.sleep(0.1)
    thread.join(10)
    assert time.monotonic() - started < LONG_WAIT_S / 2
    assert answer == [PostResult.ACCEPTED] and filing_count(engine, fid) == 1


def test_a_lone_post_does_not_wait(engine: Engine, committer: GroupCommitter) -> None:
    started = time.monotonic()
    with committer.arriving() as arrival:
        assert committer.insert(posted(new_uuid7()), arrival) is PostResult.ACCEPTED
    assert time.monotonic() - started < LONG_WAIT_S / 2


def test_a_key_stored_meanwhile_by_another_node_is_answered_from_the_database(
    engine: Engine, committer: GroupCommitter
) -> None:
    """No re-read of the keys in the batch: the primary key catches the race; each is answered."""
    raced, fresh, other = new_uuid7(), new_uuid7(), new_uuid7()
    elsewhere = GroupCommitter(engine, gather_wait_s=0)  # another node on the same database
    try:
        assert elsewhere.insert(posted(raced)) is PostResult.ACCEPTED
        assert elsewhere.insert(posted(other, body='{"b":2}')) is PostResult.ACCEPTED
    finally:
        elsewhere.close()
    outcomes = _batch(committer, [posted(raced), posted(fresh), posted(other)])
    assert outcomes[:2] == [PostResult.DUPLICATE, PostResult.ACCEPTED]
    assert isinstance(outcomes[2], IdempotencyConflictError)  # same key, other content: 409
    assert [filing_count(engine, fid) for fid in (raced, fresh, other)] == [1, 1, 1]
    assert audit_actions(engine, fresh) == ["filing.received"]
    assert audit_actions(engine, raced) == ["filing.received"]  # not a second time


def _batch(writer: GroupCommitter, filings: list[Filing]) -> list[object]:
    """Insert the filings as one batch: all announced first, so the leader gathers them."""
    answers: list[object] = [None] * len(filings)
    with contextlib.ExitStack() as stack:
        arrivals = [stack.enter_context(writer.arriving()) for _ in filings]

        def run(i: int) -> None:
            try:
                answers[i] = writer.insert(filings[i], arrivals[i])
            except IdempotencyConflictError as err:
                answers[i] = err

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(filings))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    return answers
