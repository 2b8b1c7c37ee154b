"""Issue 14: the filing POST parses the filing once; its search keys come from that object, and
group-commit batches take in what arrived while the leader waited for the writer lock."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from kiosk.forms.codec import filing_from_json
from server_sync.ids import new_uuid7
from server_sync.intake.records import PostResult
from server_sync.intake.store.group_commit import GroupCommitter
from server_sync.intake.store.search_index import backfill
from server_sync.intake.store.search_keys import index_params, parsed_index_params
from server_sync.intake.store.writer_lock import writer_lock_for
from tests.unit.intake.test_db_and_store import posted

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples" / "filings").glob("*.json"))
WAITING = 6


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_keys_from_the_parsed_filing_equal_the_keys_from_its_json(path: Path) -> None:
    data = path.read_text(encoding="utf-8")
    filing = filing_from_json(data)
    keys = parsed_index_params(filing.id, filing)
    assert keys == index_params(filing.id, data)
    assert keys["member_count"] == len(filing.members) > 0
    assert keys["search_names"].count("|") >= len(filing.members) + 1


def test_stored_keys_from_the_post_match_a_backfill_of_the_same_row(engine: Engine) -> None:
    """What the POST stored (keys handed along) is what the console's backfill computes."""
    data = EXAMPLES[0].read_text(encoding="utf-8")
    filing = filing_from_json(data)
    committer = GroupCommitter(engine)
    try:
        keys = parsed_index_params(filing.id, filing)
        assert committer.insert(posted(filing.id, body=data), keys=keys) is PostResult.ACCEPTED
    finally:
        committer.close()
    columns = "search_names, birth_dates, receipt_no, member_count"
    with engine.connect() as conn:
        stored = conn.execute(text(f"SELECT {columns} FROM filings")).one()
        conn.execute(text("UPDATE filings SET member_count = NULL"))
        conn.commit()
    assert backfill(engine) == 1
    with engine.connect() as conn:
        again = conn.execute(text(f"SELECT {columns} FROM filings")).one()
    assert tuple(stored) == tuple(again)
    assert stored.member_count == len(filing.members)


def test_requests_queued_behind_another_process_commit_share_one_batch(engine: Engine) -> None:
    """While another process holds the writer lock, arriving filings wait; the leader then takes
    all of them into a single commit (not one commit for its own filing and one for the rest)."""
    other_process = writer_lock_for(engine)
    assert other_process is not None
    committer = GroupCommitter(engine, gather_wait_s=0)
    answers: list[object] = []
    try:
        with other_process.held():
            threads = [
                threading.Thread(
                    target=lambda: answers.append(committer.insert(posted(new_uuid7())))
                )
                for _ in range(WAITING)
            ]
            for thread in threads:
                thread.start()
                time.sleep(0.02)  # the first becomes the leader and blocks on the lock
            time.sleep(0.2)
            assert answers == []  # nothing can commit while the lock is held elsewhere
        for thread in threads:
            thread.join(30)
    finally:
        committer.close()
        other_process.close()
    assert answers == [PostResult.ACCEPTED] * WAITING
    stats = committer.stats()
    assert (stats.filings, stats.commits, stats.largest_batch) == (WAITING, 1, WAITING)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM filings")).scalar_one() == WAITING
