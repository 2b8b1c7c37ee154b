"""Issue 14, migration 0800: one index less on ``filings``, every reader served as before.

- The console's searches and the export's selection still find their rows through an index
  (``EXPLAIN QUERY PLAN`` of the SQL the real functions send, captured from the engine).
- A database made by the old schema (every migration before 0800) migrates with its rows
  intact, and every reader — API search, console search page, 受付番号 lookup, export, the
  export dialog's counts — answers exactly as it did before the migration (SQLite and
  PostgreSQL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from server_sync.ids import new_uuid7
from server_sync.intake import db
from server_sync.intake.db import migrate, open_engine
from server_sync.intake.export import ExportSelection, run_export
from server_sync.intake.records import Filing, FilingStatus
from server_sync.intake.store import search_index
from server_sync.intake.store.filings import (
    FilingSearch,
    insert_posted_filing,
    search_filings,
    set_filing_status,
)
from server_sync.intake.store.search_index import Query
from tests.fixtures.intake import create_database, drop_database
from tests.unit.intake.test_db_and_store import posted

MIGRATION = "0800_filings_status_index.sql"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FILINGS = 12
#: filters of the console's search form and what must serve each (index name in the plan)
CONSOLE_SEARCHES: dict[str, tuple[Query, str]] = {
    "状態 受付": (Query(status=FilingStatus.RECEIVED.value), "filings_status"),
    "状態 受理": (Query(status=FilingStatus.ACCEPTED.value), "filings_status"),
    "状態 保留": (Query(status=search_index.HELD), "filings_status"),
    "kiosk": (Query(kiosk_id="k1"), "filings_kiosk"),
    "受付番号": (Query(receipt_no="1234-5678"), "filings_receipt_no"),
    "received days": (
        Query(received_from="2026-11-27T00:00:00Z", received_to="2026-11-28T00:00:00Z"),
        "filings_received_at",
    ),
}


def _old_schema(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    """Migrate ``engine`` as the intake did before migration 0800 existed."""
    every = db._migration_files
    with monkeypatch.context() as patch:
        patch.setattr(db, "_migration_files", lambda d: [f for f in every(d) if f[0] < MIGRATION])
        applied = migrate(engine)
    assert MIGRATION not in applied and applied


def _accept(engine: Engine, filings: Sequence[Filing]) -> None:
    for filing in filings:
        set_filing_status(
            engine,
            filing.filing_id,
            FilingStatus.ACCEPTED,
            actor="staff:test",
            reason=None,
            now=NOW,
            kiosk_id=filing.kiosk_id,
        )


def _fill(engine: Engine) -> None:
    """Posted filings at different times and kiosks; some accepted, one of them exported."""
    for i in range(FILINGS):
        at = f"2026-11-{20 + i % 9:02d}T0{i % 10}:00:00.000000Z"
        body = f'{{"members":[{{"name":"山田 {i}","birth_date":"1980-01-{i + 1:02d}"}}]}}'
        insert_posted_filing(engine, posted(new_uuid7(), body=body, kiosk=f"k{i % 3}", at=at))
    stored = search_filings(engine, FilingSearch(limit=FILINGS))
    _accept(engine, stored[: FILINGS // 2])
    run_export(
        engine, ExportSelection(accepted_to="2026-12-02T00:00:00Z"), _none, mark_by="t", now=NOW
    )
    _accept(engine, stored[FILINGS // 2 : FILINGS // 2 + 2])  # accepted after the export


def _none(*_: object) -> None:
    """A renderer that renders nothing (the test looks at what was selected and marked)."""


def _readers(engine: Engine) -> dict[str, Any]:
    """What every reader of ``filings`` answers (compared before and after the migration)."""
    page = search_index.search_page
    first = search_filings(engine, FilingSearch(limit=FILINGS))[0]
    receipt = page(engine, Query()).hits[0].receipt_no
    return {
        "rows": _rows(engine),
        "api search": search_filings(engine, FilingSearch(limit=FILINGS)),
        "api search kiosk": search_filings(engine, FilingSearch(kiosk_id="k1")),
        "api search accepted": search_filings(engine, FilingSearch(status=FilingStatus.ACCEPTED)),
        "console page": page(engine, Query(page_size=5, page=2)),
        **{name: page(engine, query) for name, (query, _) in CONSOLE_SEARCHES.items()},
        "console name": page(engine, Query(name="やまだ")),
        "受付番号 lookup": search_index.keys_by_receipt(engine, receipt),
        "by id": search_filings(engine, FilingSearch(limit=1))[0] == first,
        "export not exported": _export(engine, ExportSelection(not_exported=True)),
        "export all accepted": _export(engine, ExportSelection()),
        "export kiosk": _export(engine, ExportSelection(kiosk_id="k0", not_exported=True)),
        "dialog counts": _counts(engine),
    }


def _rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM filings ORDER BY 1, 2"))]


def _export(engine: Engine, selection: ExportSelection) -> list[tuple[str, str]]:
    run = run_export(engine, selection, _none, mark_by=None, now=NOW)
    return [(f.kiosk_id or "", f.filing_id) for f in run.filings]


def _counts(engine: Engine) -> tuple[int, int]:
    from server_sync.intake.console.exports import pending_count

    return pending_count(engine, ExportSelection())


def _index_columns(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'filings'")
            ).scalars()
            return {
                n: [r[2] for r in conn.execute(text(f"PRAGMA index_info('{n}')"))]
                for n in names
                if not n.startswith("sqlite_autoindex")
            }
        rows = conn.execute(
            text(
                "SELECT i.relname, a.attname FROM pg_index x"
                " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
                " JOIN pg_attribute a ON a.attrelid = i.oid"
                " WHERE t.relname = 'filings' AND NOT x.indisprimary ORDER BY i.relname, a.attnum"
            )
        ).all()
    found: dict[str, list[str]] = {}
    for name, column in rows:
        found.setdefault(name, []).append(column)
    return found


def _migrates_old_database(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _old_schema(monkeypatch, engine)
    _fill(engine)
    before = _readers(engine)
    assert _index_columns(engine)["filings_exported"] == ["status", "exported_at"]
    assert migrate(engine) == [MIGRATION]
    indexes = _index_columns(engine)
    assert "filings_exported" not in indexes
    assert indexes["filings_unindexed"] == ["member_count"]
    assert indexes["filings_status"] == ["status", "received_at", "exported_at"]
    after = _readers(engine)
    assert after == before
    assert len(after["rows"]) == FILINGS
    assert after["dialog counts"] == (FILINGS // 2 + 2, 2)
    assert len(after["export not exported"]) == 2


def test_an_old_sqlite_database_migrates_with_every_reader_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        _migrates_old_database(engine, monkeypatch)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_an_old_postgresql_database_migrates_with_every_reader_unchanged(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url = create_database(postgres_url)
    engine = open_engine(db_url)
    try:
        _migrates_old_database(engine, monkeypatch)
    finally:
        engine.dispose()
        drop_database(db_url)


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    migrate(engine)
    _fill(engine)
    yield engine
    engine.dispose()


def _plans(engine: Engine, call: Callable[[], object]) -> list[list[str]]:
    """The query plans of the SELECTs on ``filings`` that ``call`` sends (as sent)."""
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and " FROM filings" in statement:
            sent.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert sent, "the reader sent no query on filings"
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        return [
            [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
            for sql, params in sent
        ]
    finally:
        raw.close()


@pytest.mark.parametrize("search", list(CONSOLE_SEARCHES))
def test_the_console_searches_use_their_index(filled: Engine, search: str) -> None:
    """Each statement of the search (the backfill of missing keys, the count, the page) reads
    through an index; the page and count through the filter's own."""
    query, index = CONSOLE_SEARCHES[search]
    plans = _plans(filled, lambda: search_index.search_page(filled, query))
    for plan in plans:
        assert not any(step.startswith("SCAN filings") and "INDEX" not in step for step in plan)
    backfill, *page = plans
    assert any("INDEX filings_unindexed " in step for step in backfill), backfill
    assert page and all(any(f"INDEX {index} " in s for s in plan) for plan in page), page


@pytest.mark.parametrize(
    ("selection", "index"),
    [
        (ExportSelection(not_exported=True), "filings_status"),
        (ExportSelection(), "filings_status"),
        (ExportSelection(received_from="2026-11-27T00:00:00Z"), "filings_"),
    ],
)
def test_the_export_selection_uses_an_index(
    filled: Engine, selection: ExportSelection, index: str
) -> None:
    (plan,) = _plans(filled, lambda: _export(filled, selection))
    assert any(f"INDEX {index}" in step for step in plan), plan


def test_the_export_dialog_counts_read_the_index_only(filled: Engine) -> None:
    (plan,) = _plans(filled, lambda: _counts(filled))
    assert any("COVERING INDEX filings_status" in step for step in plan), plan


def test_new_filings_write_one_index_less(filled: Engine) -> None:
    """Every full index of filings is written by each insert: 0800 leaves five (and the key);
    the partial one holds only rows whose search keys are missing (none of the new ones)."""
    assert sorted(_index_columns(filled)) == [
        "filings_id",
        "filings_kiosk",
        "filings_receipt_no",
        "filings_received_at",
        "filings_status",
        "filings_unindexed",
    ]
    with filled.connect() as conn:
        partial = conn.execute(
            text(
                "SELECT COUNT(*) FROM filings INDEXED BY filings_unindexed"
                " WHERE member_count IS NULL"
            )
        ).scalar_one()
    assert partial == 0
