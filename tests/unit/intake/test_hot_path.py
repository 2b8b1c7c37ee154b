"""The filing POST's fast paths keep their answers: caches never outlive a check they replace."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from server_sync.envelope import parse_envelope
from server_sync.errors import BadResidentSignatureError
from server_sync.ids import new_uuid7
from server_sync.intake import store
from server_sync.intake.db import open_engine
from server_sync.intake.deps import kiosk_public_key
from server_sync.intake.records import ResidentBindingState
from server_sync.intake.store import kiosks as kiosks_store
from server_sync.intake.store.filings import insert_posted_batch
from server_sync.intake.store.writer_lock import LOCK_SUFFIX, writer_lock_for
from server_sync.intake.verify import check_resident
from tests.integration.intake.kit import TestKiosk, make_pki
from tests.unit.intake.test_db_and_store import posted

UTC = dt.UTC


@pytest.fixture(params=["direct", "sqlalchemy"])
def engine(
    engine: Engine, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Engine:
    """The shared database (conftest.py), written directly or through SQLAlchemy."""
    if request.param == "sqlalchemy":  # the PostgreSQL code path, run on SQLite
        monkeypatch.setattr(kiosks_store, "is_sqlite", lambda _engine: False)
    return engine


def _enrol(engine: Engine, kiosk: TestKiosk) -> None:
    now = dt.datetime.now(UTC)
    token = store.create_enrol_token(
        engine, kiosk.kiosk_id, ttl=dt.timedelta(days=1), now=now, actor="t"
    )
    raw = kiosk.key.public_key().public_bytes_raw()
    store.enrol_kiosk(engine, token, kiosk.kiosk_id, raw, now)


def test_kiosk_and_digest_reads_both_and_sees_a_revocation_at_once(engine: Engine) -> None:
    kiosk = TestKiosk("k1")
    fid = new_uuid7()
    assert store.kiosk_and_digest(engine, "k1", fid) == (None, None)
    _enrol(engine, kiosk)
    row, digest = store.kiosk_and_digest(engine, "k1", fid)
    assert row is not None and not row.revoked and digest is None
    assert kiosk_public_key(row.public_key).public_bytes_raw() == row.public_key
    with engine.begin() as conn:
        insert_posted_batch(conn, [posted(fid, kiosk="k1")])
    _, digest = store.kiosk_and_digest(engine, "k1", fid)
    assert digest == posted(fid).filing_sha256
    store.revoke_kiosk(engine, "k1", now=dt.datetime.now(UTC), actor="t")
    row, _ = store.kiosk_and_digest(engine, "k1", fid)
    assert row is not None and row.revoked  # nothing cached: the next request is refused


def test_contact_is_written_only_when_stale(engine: Engine) -> None:
    kiosk = TestKiosk("k2")
    _enrol(engine, kiosk)
    now = dt.datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    row, _ = store.kiosk_and_digest(engine, "k2", new_uuid7())
    assert row is not None
    store.record_contact_of(engine, row, now)
    row, _ = store.kiosk_and_digest(engine, "k2", new_uuid7())
    assert row is not None and row.last_contact_at == "2026-11-27T10:00:00.000000Z"
    store.record_contact_of(engine, row, now + dt.timedelta(seconds=2))  # within 5 s: no write
    store.record_contact_of(engine, row, now + dt.timedelta(seconds=9))
    with engine.connect() as conn:
        stamp = conn.execute(text("SELECT last_contact_at FROM kiosks WHERE kiosk_id = 'k2'"))
        assert stamp.scalar_one() == "2026-11-27T10:00:09.000000Z"


def test_cached_chain_verdicts_still_check_validity_times() -> None:
    pki = make_pki("cache root")
    card = pki.issue_card(valid_days=30)
    kiosk = TestKiosk("k3")
    envelope = parse_envelope(kiosk.envelope(card=card)[1])
    now = dt.datetime.now(UTC)
    first = check_resident(envelope, [pki.root], now, reject_untrusted=False)
    again = check_resident(envelope, [pki.root], now, reject_untrusted=False)
    assert first.state is again.state is ResidentBindingState.VERIFIED
    later = now + dt.timedelta(days=60)  # the card certificate expired meanwhile
    expired = check_resident(envelope, [pki.root], later, reject_untrusted=False)
    assert expired.state is ResidentBindingState.UNTRUSTED_CHAIN
    other = make_pki("cache root")  # same name, other key: the cached pair does not apply
    assert (
        check_resident(envelope, [other.root], now, reject_untrusted=False).state
        is ResidentBindingState.UNTRUSTED_CHAIN
    )


def test_the_resident_signature_is_checked_on_every_request() -> None:
    pki = make_pki("cache root 2")
    card, impostor = pki.issue_card(), pki.issue_card()
    kiosk = TestKiosk("k4")
    good = parse_envelope(kiosk.envelope(card=card)[1])
    now = dt.datetime.now(UTC)
    check_resident(good, [pki.root], now, reject_untrusted=True)  # certificate now cached
    forged = parse_envelope(kiosk.envelope(card=card, signing_card=impostor)[1])
    with pytest.raises(BadResidentSignatureError):
        check_resident(forged, [pki.root], now, reject_untrusted=True)


def test_writer_lock_only_for_sqlite_files(tmp_path: Path) -> None:
    eng = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    lock = writer_lock_for(eng)
    assert lock is not None and lock.path == tmp_path / f"w.db{LOCK_SUFFIX}"
    with lock.held():
        assert lock.path.exists()
    lock.close()
    assert writer_lock_for(open_engine("sqlite://")) is None
