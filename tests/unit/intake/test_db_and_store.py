"""The database layer and repository functions on a real SQLite file (no server)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import Engine, text

from server_sync.ids import new_uuid7
from server_sync.intake import store
from server_sync.intake.db import MIGRATION_RE, migrate, split_statements
from server_sync.intake.errors import (
    BadTokenError,
    IdempotencyConflictError,
    InvalidTransitionError,
    NotFoundError,
)
from server_sync.intake.records import (
    Filing,
    FilingSource,
    FilingStatus,
    PostResult,
    ResidentBindingState,
)

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
KEY = bytes(range(32))


def posted(filing_id: str, body: str = '{"a":1}', kiosk: str = "k1", at: str = "") -> Filing:
    return Filing(
        filing_id=filing_id,
        kiosk_id=kiosk,
        received_at=at or "2026-11-27T09:00:00.000000Z",
        created_at="2026-11-27T08:59:00Z",
        envelope="{}",
        filing_json=body,
        filing_sha256=hashlib.sha256(body.encode()).hexdigest(),
        kiosk_signature_ok=True,
        resident_binding=ResidentBindingState.ABSENT,
        resident_cert_serial=None,
        status=FilingStatus.RECEIVED,
        reject_reason=None,
        decided_at=None,
        decided_by=None,
        source=FilingSource.POSTED,
    )


def test_new_sqlite_database_uses_wal_and_full_sync(engine: Engine):
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL


def test_migrate_applies_each_file_once(engine: Engine):
    assert migrate(engine) == []
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM schema_migrations"))]
    assert names[0] == "0001_intake.sql"
    assert names == sorted(names)


@pytest.mark.parametrize(
    ("name", "dialect"),
    [
        ("0001_intake.sql", None),
        ("0100_console.sql", None),
        ("0200_search.postgresql.sql", "postgresql"),
        ("0200_search.sqlite.sql", "sqlite"),
    ],
)
def test_migration_names(name: str, dialect: str | None):
    match = MIGRATION_RE.match(name)
    assert match is not None and match.group(2) == dialect


@pytest.mark.parametrize("name", ["1_x.sql", "0001-x.sql", "0001_X.sql", "0001_x.mysql.sql"])
def test_non_migration_names_are_ignored(name: str):
    assert MIGRATION_RE.match(name) is None


def test_split_statements_drops_comments_and_keeps_semicolons_inside_lines():
    sql = "-- head\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nCREATE INDEX i ON a (x); -- tail\n"
    assert split_statements(sql) == [
        "CREATE TABLE a (x TEXT DEFAULT ';')",
        "CREATE INDEX i ON a (x)",
    ]


def test_token_is_one_time_and_bound(engine: Engine):
    token = store.create_enrol_token(engine, "k1", ttl=dt.timedelta(days=7), now=NOW, actor="cli")
    with pytest.raises(BadTokenError):
        store.enrol_kiosk(engine, token, "k2", KEY, NOW)
    kiosk = store.enrol_kiosk(engine, token, "k1", KEY, NOW)
    assert kiosk.key_id == hashlib.sha256(KEY).digest()[:8].hex()
    with pytest.raises(BadTokenError):
        store.enrol_kiosk(engine, token, "k1", KEY, NOW)


def test_token_expires(engine: Engine):
    token = store.create_enrol_token(engine, "k1", ttl=dt.timedelta(days=7), now=NOW, actor="cli")
    with pytest.raises(BadTokenError):
        store.enrol_kiosk(engine, token, "k1", KEY, NOW + dt.timedelta(days=7, seconds=1))


def test_dedupe_on_key_and_digest(engine: Engine):
    fid = new_uuid7()
    assert store.insert_posted_filing(engine, posted(fid)) is PostResult.ACCEPTED
    assert store.insert_posted_filing(engine, posted(fid)) is PostResult.DUPLICATE
    with pytest.raises(IdempotencyConflictError):
        store.insert_posted_filing(engine, posted(fid, body='{"a":2}'))
    assert store.known_outcome(engine, new_uuid7(), "0" * 64) is None


def test_status_change_writes_audit_in_the_same_transaction(engine: Engine):
    fid = new_uuid7()
    store.insert_posted_filing(engine, posted(fid))
    decided = store.set_filing_status(
        engine, fid, FilingStatus.REJECTED, actor="staff:b", reason="wrong ward", now=NOW
    )
    assert (decided.status, decided.reject_reason, decided.decided_by) == (
        FilingStatus.REJECTED,
        "wrong ward",
        "staff:b",
    )
    entries = store.list_audit(engine, subject_type="filing", subject_id=fid)
    assert [e.action for e in entries] == ["filing.received", "filing.rejected"]
    assert json.loads(entries[1].detail) == {
        "from": "received",
        "to": "rejected",
        "reason": "wrong ward",
        "kiosk_id": "k1",
    }
    with pytest.raises(InvalidTransitionError):
        store.set_filing_status(engine, fid, FilingStatus.ACCEPTED, actor="x", reason=None, now=NOW)
    with pytest.raises(NotFoundError):
        store.set_filing_status(
            engine, new_uuid7(), FilingStatus.ACCEPTED, actor="x", reason=None, now=NOW
        )
    assert len(store.list_audit(engine, subject_id=fid)) == 2  # failed changes leave no row


def test_paper_filing_is_recorded_once_and_never_duplicates_a_posted_one(engine: Engine):
    fid = new_uuid7()
    args = {
        "filing_id": fid,
        "filing_json": '{"b":1}',
        "filing_sha256": "ab" * 32,
        "kiosk_id": "k1",
        "created_at": "2026-11-27T08:00:00Z",
        "kiosk_signature_ok": True,
        "now": NOW,
        "actor": "staff:c",
    }
    paper, created = store.record_paper_filing(engine, **args)  # type: ignore[arg-type]
    assert created and paper.source is FilingSource.PAPER
    again, created_again = store.record_paper_filing(engine, **args)  # type: ignore[arg-type]
    assert not created_again and again == paper
    posted_id = new_uuid7()
    store.insert_posted_filing(engine, posted(posted_id))
    existing, created = store.record_paper_filing(engine, **{**args, "filing_id": posted_id})  # type: ignore[arg-type]
    assert not created and existing.source is FilingSource.POSTED


def test_search_filters(engine: Engine):
    a, b, c = new_uuid7(), new_uuid7(), new_uuid7()
    store.insert_posted_filing(engine, posted(a, kiosk="k1", at="2026-11-01T00:00:00.000000Z"))
    store.insert_posted_filing(engine, posted(b, kiosk="k2", at="2026-11-02T00:00:00.000000Z"))
    store.insert_posted_filing(engine, posted(c, kiosk="k1", at="2026-11-03T00:00:00.000000Z"))
    store.set_filing_status(engine, c, FilingStatus.ACCEPTED, actor="s", reason=None, now=NOW)

    def ids(**kw: object) -> list[str]:
        return [f.filing_id for f in store.search_filings(engine, store.FilingSearch(**kw))]  # type: ignore[arg-type]

    assert ids() == [c, b, a]
    assert ids(kiosk_id="k1") == [c, a]
    assert ids(status=FilingStatus.RECEIVED) == [b, a]
    assert ids(received_from="2026-11-02T00:00:00Z", received_to="2026-11-03T00:00:00Z") == [b]
    assert ids(limit=1) == [c]
    assert [f.filing_id for f in store.list_accepted_filings(engine)] == [c]


def test_revocation_is_audited_once_and_kills_spare_tokens(engine: Engine):
    t1 = store.create_enrol_token(engine, "k1", ttl=dt.timedelta(days=1), now=NOW, actor="cli")
    spare = store.create_enrol_token(engine, "k1", ttl=dt.timedelta(days=1), now=NOW, actor="cli")
    store.enrol_kiosk(engine, t1, "k1", KEY, NOW)
    assert store.revoke_kiosk(engine, "k1", now=NOW, actor="cli").revoked
    store.revoke_kiosk(engine, "k1", now=NOW, actor="cli")
    actions = [e.action for e in store.list_audit(engine, subject_id="k1")]
    assert actions.count("kiosk.revoked") == 1
    with pytest.raises(BadTokenError):
        store.enrol_kiosk(engine, spare, "k1", KEY, NOW)
    with pytest.raises(NotFoundError):
        store.revoke_kiosk(engine, "nobody", now=NOW, actor="cli")


@pytest.mark.parametrize("bound", ["yesterday", "2026-11-02", "2026-11-02T00:00:00"])
def test_search_refuses_times_without_zone(engine: Engine, bound: str):
    from server_sync.intake.errors import BadQueryError

    with pytest.raises(BadQueryError):
        store.search_filings(engine, store.FilingSearch(received_from=bound))


def test_export_stops_with_a_typed_error_on_an_unreadable_stored_filing(engine: Engine):
    from kiosk.forms.relationship import RelationshipCodes
    from server_sync.intake.errors import StoredFilingError
    from server_sync.intake.export import export_csv, export_json

    fid = new_uuid7()
    store.insert_posted_filing(engine, posted(fid, body='{"not": "a filing"}'))
    store.set_filing_status(engine, fid, FilingStatus.ACCEPTED, actor="s", reason=None, now=NOW)
    accepted = store.list_accepted_filings(engine)
    with pytest.raises(StoredFilingError, match=fid):
        export_csv(accepted, RelationshipCodes.load())
    with pytest.raises(StoredFilingError, match=fid):
        export_json(accepted, "2026-11-27T09:00:00.000000Z")
