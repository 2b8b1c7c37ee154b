"""The event loop's filing path on both backends: batches submitted from the loop, the kiosk +
digest read awaited (PostgreSQL: async psycopg, ``$n`` statements), what lands in the tables.

Real SQLite file and real PostgreSQL (the session cluster of tests/fixtures/intake.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, text

from server_sync.envelope import raw_public_key
from server_sync.ids import new_uuid7
from server_sync.intake import store
from server_sync.intake.clock import utc_now
from server_sync.intake.errors import IdempotencyConflictError
from server_sync.intake.records import PostResult
from server_sync.intake.store.filings import SearchKeys, filing_key
from server_sync.intake.store.group_commit import GroupCommitter
from server_sync.intake.store.pg_direct import conninfo, pg_connections
from tests.integration.intake.db_checks import audit_actions, filing_count
from tests.integration.intake.kit import TestKiosk
from tests.unit.intake.test_db_and_store import posted

KIOSK = "loop-k1"


@pytest.fixture
def committer(engine: Engine) -> Iterator[GroupCommitter]:
    writer = GroupCommitter(engine)
    yield writer
    writer.close()


def _enrol(engine: Engine) -> TestKiosk:
    kiosk = TestKiosk(KIOSK)
    token = store.create_enrol_token(
        engine, KIOSK, ttl=dt.timedelta(hours=1), now=utc_now(), actor="test"
    )
    store.enrol_kiosk(engine, token, KIOSK, raw_public_key(kiosk.key.public_key()), utc_now())
    return kiosk


def test_loop_batches_store_rows_audit_and_search_keys(
    engine: Engine, committer: GroupCommitter
) -> None:
    ids = [new_uuid7() for _ in range(5)]
    keys: SearchKeys = {
        (KIOSK, fid): {
            "search_names": f"|name{i}|",
            "birth_dates": "|1990-01-01|",
            "receipt_no": f"R{i}",
            "member_count": i + 1,
        }
        for i, fid in enumerate(ids)
    }
    filings = [posted(fid, body=f'{{"n":{i}}}', kiosk=KIOSK) for i, fid in enumerate(ids)]

    async def post_all() -> list[object]:
        async def one(i: int) -> object:
            filing = filings[i] if i < len(ids) else posted(ids[0], body='{"x":9}', kiosk=KIOSK)
            try:
                return await committer.submit(filing, keys.get(filing_key(filing)))
            except IdempotencyConflictError as err:
                return err

        return list(await asyncio.gather(*(one(i) for i in range(len(ids) + 1))))

    answers = asyncio.run(post_all())
    assert answers[:-1] == [PostResult.ACCEPTED] * len(ids)
    assert isinstance(answers[-1], IdempotencyConflictError)  # same key, other body: 409
    stats = committer.stats()
    assert (stats.filings, stats.commits) == (len(ids) + 1, 1)
    assert [filing_count(engine, fid) for fid in ids] == [1] * len(ids)
    assert audit_actions(engine, ids[2]) == ["filing.received"]
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT kiosk_id, filing_json, search_names, receipt_no, member_count"
                " FROM filings WHERE filing_id = :f"
            ),
            {"f": ids[3]},
        ).one()
    assert tuple(row) == (KIOSK, '{"n":3}', "|name3|", "R3", 4)


def test_the_awaited_read_sees_the_kiosk_its_revocation_and_stored_digests(
    engine: Engine, committer: GroupCommitter
) -> None:
    _enrol(engine)
    stored = posted(new_uuid7(), kiosk=KIOSK)
    assert committer.insert(stored) is PostResult.ACCEPTED

    async def reads() -> list[tuple[object, object]]:
        found = await store.kiosk_and_digest_async(engine, KIOSK, stored.filing_id)
        fresh = await store.kiosk_and_digest_async(engine, KIOSK, new_uuid7())
        nobody = await store.kiosk_and_digest_async(engine, "nobody", stored.filing_id)
        return [found, fresh, nobody]

    (kiosk, digest), (again, none), nobody = asyncio.run(reads())
    assert kiosk is not None and again is not None
    assert (kiosk.kiosk_id, kiosk.revoked, digest) == (KIOSK, False, stored.filing_sha256)
    assert none is None
    assert nobody == (None, None)
    store.revoke_kiosk(engine, KIOSK, now=utc_now(), actor="test")
    revoked, _ = asyncio.run(store.kiosk_and_digest_async(engine, KIOSK, new_uuid7()))
    assert revoked is not None and revoked.revoked  # seen at once: nothing cached


def test_the_raw_postgresql_read_matches_psycopg_and_survives_a_dropped_connection(
    engine: Engine, committer: GroupCommitter
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the event loop's raw libpq read is PostgreSQL's")
    _enrol(engine)
    store.record_heartbeat(
        engine, KIOSK, now=utc_now(), backlog=7, dead=0, master_version=None, app_version="1.2"
    )
    stored = posted(new_uuid7(), kiosk=KIOSK)
    assert committer.insert(stored) is PostResult.ACCEPTED
    expected = store.kiosk_and_digest(engine, KIOSK, stored.filing_id)  # psycopg's own decoding
    pool = pg_connections(engine)

    async def read_twice_dropping_the_connection_between() -> list[object]:
        first = await store.kiosk_and_digest_async(engine, KIOSK, stored.filing_id)
        dropped = {conn.pgconn.backend_pid for conn in pool._aidle}  # the loop's idle ones
        with psycopg.connect(conninfo(engine), autocommit=True) as admin:
            for pid in dropped:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        second = await store.kiosk_and_digest_async(engine, KIOSK, stored.filing_id)
        now_used = {conn.pgconn.backend_pid for conn in pool._aidle}
        return [first, second, dropped, now_used]

    first, second, dropped, now_used = asyncio.run(read_twice_dropping_the_connection_between())
    assert dropped and not dropped & now_used  # the read after the drop used a new connection
    assert first == expected == second
    kiosk, digest = expected
    assert kiosk is not None and (kiosk.backlog, kiosk.dead, kiosk.app_version) == (7, 0, "1.2")
    assert (kiosk.master_version, digest) == (None, stored.filing_sha256)
