"""Issue 14: while several kiosks post, the loop's next batch fills before it commits.

Real SQLite file and the real committer. The fill window is made long, so that whether a batch
waited shows in the commit counts and in answers still pending, not in fine timings: after a
batch of four, the next batch waits until four are queued again; a lone kiosk never waits; once
the others stop, the expected batch shrinks and a lone post commits at once again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from server_sync.ids import new_uuid7
from server_sync.intake.records import PostResult
from server_sync.intake.store.group_commit import GroupCommitter
from tests.unit.intake.test_db_and_store import posted

#: long enough that a batch that waited is unmistakable (the tests never sit through it whole)
LONG_WAIT_S = 5.0
#: short window of the test that lets the expected batch shrink
SHORT_WAIT_S = 0.3
KIOSKS = 4


@pytest.fixture
def committer(engine: Engine) -> Iterator[GroupCommitter]:
    writer = GroupCommitter(engine, loop_gather_wait_s=LONG_WAIT_S)
    yield writer
    writer.close()


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM filings")).scalar_one())


async def _burst(writer: GroupCommitter, n: int) -> list[PostResult]:
    """``n`` posts queued at once (one batch)."""
    return list(await asyncio.gather(*(writer.submit(posted(new_uuid7())) for _ in range(n))))


def test_after_a_batch_of_four_the_next_batch_waits_until_four_are_queued(
    engine: Engine, committer: GroupCommitter
) -> None:
    async def scenario() -> list[PostResult]:
        assert await _burst(committer, KIOSKS) == [PostResult.ACCEPTED] * KIOSKS
        started = time.monotonic()
        posts = []
        for _ in range(KIOSKS - 1):  # kiosks answered a moment ago post again, one by one
            posts.append(asyncio.ensure_future(committer.submit(posted(new_uuid7()))))
            await asyncio.sleep(0.05)
        assert not any(p.done() for p in posts)  # the batch is still filling
        assert _stored(engine) == KIOSKS
        posts.append(asyncio.ensure_future(committer.submit(posted(new_uuid7()))))
        answers = list(await asyncio.gather(*posts))
        assert time.monotonic() - started < LONG_WAIT_S / 2  # released by the fourth, not late
        return answers

    assert asyncio.run(scenario()) == [PostResult.ACCEPTED] * KIOSKS
    stats = committer.stats()
    assert (stats.filings, stats.commits, stats.largest_batch) == (2 * KIOSKS, 2, KIOSKS)
    assert _stored(engine) == 2 * KIOSKS


def test_a_lone_kiosk_never_waits(engine: Engine, committer: GroupCommitter) -> None:
    async def scenario() -> float:
        slowest = 0.0
        for _ in range(5):
            started = time.monotonic()
            assert await committer.submit(posted(new_uuid7())) is PostResult.ACCEPTED
            slowest = max(slowest, time.monotonic() - started)
        return slowest

    assert asyncio.run(scenario()) < LONG_WAIT_S / 2
    stats = committer.stats()
    assert (stats.filings, stats.commits, stats.largest_batch) == (5, 5, 1)


def test_when_the_others_stop_a_lone_post_soon_commits_at_once(engine: Engine) -> None:
    """Each batch that falls short expects one filing less: after a batch of four, three lone
    posts wait out the window (expecting 3, 2, then 2 → 1) and the next ones do not wait."""
    writer = GroupCommitter(engine, loop_gather_wait_s=SHORT_WAIT_S)

    async def scenario() -> list[float]:
        await _burst(writer, KIOSKS)
        took = []
        for _ in range(KIOSKS + 1):
            started = time.monotonic()
            assert await writer.submit(posted(new_uuid7())) is PostResult.ACCEPTED
            took.append(time.monotonic() - started)
        return took

    try:
        took = asyncio.run(scenario())
    finally:
        writer.close()
    assert all(t >= SHORT_WAIT_S * 0.9 for t in took[: KIOSKS - 1]), took
    assert all(t < SHORT_WAIT_S / 2 for t in took[KIOSKS - 1 :]), took
    assert _stored(engine) == 2 * KIOSKS + 1
