"""PostgreSQL's filing POST without its read: a kiosk's next POSTs check against the kiosk row
its last POST read, and the batch statement itself stores them only if that key is still the
kiosk's current, unrevoked one (routes/filings.py ``_guarded_post``, pg_direct's guard).

Real PostgreSQL (the session cluster of tests/fixtures/intake.py) and real intakes over HTTPS:
the answers must be those of the full path for every case, in the protocol's order, and the
database must hold exactly what was accepted.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from server_sync.envelope import key_id_for, raw_public_key
from server_sync.ids import new_uuid7
from server_sync.intake import store
from server_sync.intake.clock import utc_now
from server_sync.intake.db import migrate, open_engine
from server_sync.intake.records import PostResult
from server_sync.intake.store.group_commit import GroupCommitter, RecheckNeeded
from tests.fixtures.intake import (
    IntakeServer,
    free_port,
    node_pair,
)
from tests.integration.intake.db_checks import audit_actions, filing_count
from tests.integration.intake.kit import Pki, TestKiosk, sample_filing
from tests.unit.intake.test_db_and_store import posted

pytestmark = pytest.mark.postgres

#: sequential POSTs of one kiosk whose statements are counted
COUNTED_POSTS = 20


@pytest.fixture
def pg_engine(postgres_database: str) -> Iterator[Engine]:
    eng = open_engine(postgres_database)
    migrate(eng)
    yield eng
    eng.dispose()


def _enrol(engine: Engine, kiosk_id: str) -> TestKiosk:
    kiosk = TestKiosk(kiosk_id)
    token = store.create_enrol_token(
        engine, kiosk_id, ttl=dt.timedelta(hours=1), now=utc_now(), actor="test"
    )
    store.enrol_kiosk(engine, token, kiosk_id, raw_public_key(kiosk.key.public_key()), utc_now())
    return kiosk


def _key_id(kiosk: TestKiosk) -> str:
    return key_id_for(kiosk.key.public_key())


def test_guard_stores_only_for_the_current_unrevoked_key(pg_engine: Engine) -> None:
    kiosk = _enrol(pg_engine, "guard-k1")
    writer = GroupCommitter(pg_engine)
    ok, stale, other = new_uuid7(), new_uuid7(), new_uuid7()

    async def post_batch() -> list[object]:
        async def one(fid: str, guard: str | None) -> object:
            try:
                return await writer.submit(posted(fid, kiosk="guard-k1"), None, guard)
            except RecheckNeeded as err:
                return err

        # queued in one loop turn: one batch, one statement
        return list(
            await asyncio.gather(one(ok, _key_id(kiosk)), one(stale, "00" * 8), one(other, None))
        )

    try:
        assert writer.guards
        answers = asyncio.run(post_batch())
        # the stale guard failed the batch as a whole; retried one by one, the guarded
        # filing is not stored (its POST is checked again), the unguarded one is
        assert isinstance(answers[0], RecheckNeeded)
        assert isinstance(answers[1], RecheckNeeded)
        assert answers[2] is PostResult.ACCEPTED
        assert [filing_count(pg_engine, f) for f in (ok, stale, other)] == [0, 0, 1]
        assert audit_actions(pg_engine, stale) == []
        # alone, the current key stores it (row and audit row)
        assert asyncio.run(writer.submit(posted(ok, kiosk="guard-k1"), None, _key_id(kiosk))) is (
            PostResult.ACCEPTED
        )
        assert filing_count(pg_engine, ok) == 1
        assert audit_actions(pg_engine, ok) == ["filing.received"]
        # a stored key is never stored twice, even with a good guard
        with pytest.raises(RecheckNeeded):
            asyncio.run(writer.submit(posted(ok, kiosk="guard-k1"), None, _key_id(kiosk)))
        assert filing_count(pg_engine, ok) == 1
        # revoked: nothing is stored under the guard
        store.revoke_kiosk(pg_engine, "guard-k1", now=utc_now(), actor="test")
        late = new_uuid7()
        with pytest.raises(RecheckNeeded):
            asyncio.run(writer.submit(posted(late, kiosk="guard-k1"), None, _key_id(kiosk)))
        assert filing_count(pg_engine, late) == 0
        assert audit_actions(pg_engine, late) == []
    finally:
        writer.close()


@pytest.fixture(scope="module")
def pg_nodes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, trust_dir: Path
) -> Iterator[tuple[IntakeServer, IntakeServer]]:
    """Two intakes on one fresh PostgreSQL database."""
    with node_pair(request, tmp_path_factory, trust_dir, ("guard-a", "guard-b")) as nodes:
        yield nodes


def test_answers_after_a_kept_row_are_the_full_paths(
    pg_nodes: tuple[IntakeServer, IntakeServer], jpki: Pki
) -> None:
    node_a, node_b = pg_nodes
    kiosk = TestKiosk(f"gd-{uuid.uuid4().hex[:8]}")
    card = jpki.issue_card()
    with node_a.client(timeout=10) as a, node_b.client(timeout=10) as b:
        assert kiosk.enrol(a, node_a.create_token(kiosk.kiosk_id)).status_code == 201
        for _ in range(3):  # the first reads the row, the next ones use it
            fid, env = kiosk.envelope(card=card)
            answer = kiosk.post_filing(a, env)
            assert (answer.status_code, answer.json()["result"]) == (201, "accepted")
            assert filing_count(node_a.engine, fid) == 1
        # a replay: duplicate; the same key with another body: 409 (both after every check)
        assert kiosk.post_filing(a, env).json() == {"result": "duplicate", "filing_id": fid}
        other = kiosk.envelope(sample_filing(fid, name="山田花子"), filing_id=fid, card=card)[1]
        answer = kiosk.post_filing(a, other)
        assert (answer.status_code, answer.json()["error"]) == (409, "idempotency_conflict")
        # signed by a stranger's key in the kiosk's name: refused as always, nothing stored
        stranger = TestKiosk(kiosk.kiosk_id)
        fid, forged = stranger.envelope(card=card)
        answer = stranger.post_filing(a, forged)
        assert (answer.status_code, answer.json()["error"]) == (401, "key_mismatch")
        assert filing_count(node_a.engine, fid) == 0
        # revoked through the other node: refused at once, and revocation is reported before
        # a bad signature (the protocol's order), as the full path does
        node_b.revoke(kiosk.kiosk_id)
        fid, env = kiosk.envelope(card=card)
        answer = kiosk.post_filing(a, env)
        assert (answer.status_code, answer.json()["error"]) == (403, "revoked_kiosk")
        assert filing_count(node_a.engine, fid) == 0
        answer = stranger.post_filing(a, forged)
        assert (answer.status_code, answer.json()["error"]) == (403, "revoked_kiosk")
        # re-enrolled with a new key through B: the new key works on A at once, the old one not
        old = TestKiosk(kiosk.kiosk_id, kiosk.key)
        kiosk.key = TestKiosk(kiosk.kiosk_id).key
        assert kiosk.enrol(b, node_b.create_token(kiosk.kiosk_id)).status_code == 201
        fid, env = old.envelope(card=card)
        answer = old.post_filing(a, env)  # the old key still signs what it queued before, but
        # the headers must be signed by the current key (A's kept row still has the old one)
        assert (answer.status_code, answer.json()["error"]) == (401, "bad_signature")
        assert filing_count(node_a.engine, fid) == 0
        fid, env = kiosk.envelope(card=card)
        assert kiosk.post_filing(a, env).status_code == 201
        assert filing_count(node_a.engine, fid) == 1


def _server_log(conn: psycopg.Connection[object]) -> Path:
    """The test cluster's server log (``pg_ctl -l``: next to its data directory)."""
    row = conn.execute("SHOW data_directory").fetchone()
    assert row is not None
    return Path(str(row[0])).parent / "pg.log"


def test_a_kiosks_next_posts_skip_the_read(
    postgres_database: str, tmp_path: Path, trust_dir: Path, jpki: Pki
) -> None:
    """After its first POST, a kiosk's POSTs cost one statement each (the batch), not two (the
    kiosk + digest read and the batch): the round trip the guard saves. Counted in the server's
    own statement log (this database only)."""
    base, name = postgres_database.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {name} SET log_statement = 'all'")  # generated name
        log_file = _server_log(conn)
    node = IntakeServer(
        postgres_database, tmp_path / "data", free_port(), ("--trust-dir", str(trust_dir))
    )
    node.start()
    try:
        kiosk = TestKiosk(f"gc-{uuid.uuid4().hex[:8]}")
        card = jpki.issue_card()
        with node.client(timeout=10) as a:
            assert kiosk.enrol(a, node.create_token(kiosk.kiosk_id)).status_code == 201
            assert kiosk.post_filing(a, kiosk.envelope(card=card)[1]).status_code == 201
            envelopes = [kiosk.envelope(card=card) for _ in range(COUNTED_POSTS)]
            offset = log_file.stat().st_size
            for _fid, env in envelopes:
                assert kiosk.post_filing(a, env).status_code == 201
        assert all(filing_count(node.engine, fid) == 1 for fid, _ in envelopes)
    finally:
        node.close()
    with log_file.open("rb") as log:
        log.seek(offset)
        logged = log.read().decode("utf-8", "replace")
    reads = logged.count("(SELECT filing_sha256 FROM filings")
    batches = logged.count("INSERT INTO filings")
    assert batches >= COUNTED_POSTS // 2  # the statements are in the log
    # a read only when the kiosk's last contact is due (every few seconds), not per POST
    assert reads <= 2, (reads, batches)
