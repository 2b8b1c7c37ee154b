"""The daily 住記 export: filters, "not exported yet" + marks, file name, BOM/cp932, new columns.

In-process intake (real app, real SQL; SQLite and PostgreSQL for the marks), plus the CLI's
``--not-exported`` / ``--mark`` on the same database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from kiosk.forms.codec import filing_from_json, filing_to_json
from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import Address, AddressScheme
from server_sync.intake import store
from server_sync.intake.cli import main as cli_main
from server_sync.intake.console.exports import EXPORT_SETTINGS_FILE
from server_sync.intake.export import CSV_COLUMNS
from server_sync.intake.records import Filing as StoredFiling
from server_sync.intake.store.filings import INSERT_FILING_SQL, row_params
from tests.unit.console.conftest import World, make_world
from tests.unit.export.kit import example, read_rows, stored

SUPERVISOR, PASSWORD = "super1", "supervisor secret!"
BOM = b"\xef\xbb\xbf"
OLD_ADDRESS = Address(
    AddressScheme.RESIDENTIAL,
    prefecture="東京都",
    city="新宿区",
    lg_code="131041",
    town="新宿一丁目",
    block="2",
    residence="5",
    katagaki="メゾン新宿101",
)
#: the 39 columns other tools read, in their order (must never move)
ORIGINAL_COLUMNS = 39
FILENAME_RE = re.compile(r'filename="(\d{6})_(\d{8})-(\d{8})(_kihon)?\.csv"')


def _insert(engine: Engine, row: StoredFiling) -> None:
    with engine.begin() as conn:
        conn.execute(text(INSERT_FILING_SQL), row_params(row))


def _split_with_old_address() -> StoredFiling:
    """household_split with a 住居表示 old address (「2番5号」) — received 11-27 10:31 JST."""
    row = example("household_split")
    filing = replace(filing_from_json(row.filing_json), old_address=OLD_ADDRESS)
    return stored(filing_to_json(filing))


def _world_with_filings(tmp_path: Path, db_url: str | None = None) -> Iterator[World]:
    for w in make_world(tmp_path, db_url=db_url):
        store.create_staff(
            w.engine, SUPERVISOR, PASSWORD, now=w.clock(), actor="t", role="supervisor"
        )
        _insert(w.engine, _split_with_old_address())  # kiosk-1, 11-27
        joined = example("move_in_join_existing_household")
        _insert(  # another kiosk, the next JST day (11-28 09:00 JST)
            w.engine,
            replace(joined, kiosk_id="kiosk-2", received_at="2026-11-28T00:00:00.000000Z"),
        )
        _insert(w.engine, example("move_within_3_persons"))  # kiosk-1, 11-27
        yield w


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    yield from _world_with_filings(tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    db_url = request.getfixturevalue("postgres_database") if request.param == "postgres" else None
    yield from _world_with_filings(tmp_path, db_url)


def _marks(engine: Engine) -> dict[str, tuple[str | None, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT filing_id, exported_at, exported_by FROM filings")).all()
    return {str(r[0]): (r[1], r[2]) for r in rows}


def _download(w: World, csrf: str, **form: str) -> tuple[int, str, bytes]:
    answer = w.client.post("/console/export", data={"csrf_token": csrf, **form})
    return answer.status_code, answer.headers.get("content-disposition", ""), answer.content


def test_export_takes_the_search_filters_marks_and_skips_what_was_exported(
    any_world: World,
) -> None:
    w = any_world
    csrf = w.login(SUPERVISOR, PASSWORD)
    split, joined, within = (
        _split_with_old_address().filing_id,
        example("move_in_join_existing_household").filing_id,
        example("move_within_3_persons").filing_id,
    )
    # the dialog counts what the filters would take
    dialog = w.client.get("/console/export", params={"from": "2026-11-27", "to": "2026-11-27"})
    assert dialog.status_code == 200 and 'id="export-fresh">2件' in dialog.text
    # only 11-27 (JST) of kiosk-1: two filings, not the 11-28 one
    status, disposition, body = _download(w, csrf, **{"from": "2026-11-27", "to": "2026-11-27"})
    assert status == 200 and body.startswith(BOM)
    match = FILENAME_RE.search(disposition)
    assert match and match.groups() == ("131041", "20261127", "20261127", None)
    rows = read_rows(body.decode("utf-8-sig"))
    assert tuple(rows[0]) == CSV_COLUMNS and {r["filing_id"] for r in rows} == {split, within}
    marks = _marks(w.engine)
    assert marks[split][1] == marks[within][1] == f"staff:{SUPERVISOR}" and marks[joined] == (
        None,
        None,
    )
    # again, same filters: nothing new (header only); no filter: only the 11-28 one
    _, _, again = _download(w, csrf, **{"from": "2026-11-27", "to": "2026-11-27"})
    assert read_rows(again.decode("utf-8-sig")) == []
    _, disposition, rest = _download(w, csrf)
    assert {r["filing_id"] for r in read_rows(rest.decode("utf-8-sig"))} == {joined}
    assert FILENAME_RE.search(disposition).groups()[1:3] == ("20261128", "20261128")  # type: ignore[union-attr]
    # a re-export on demand takes all three and keeps the first marks
    first = _marks(w.engine)
    _, _, everything = _download(w, csrf, reexport="1")
    assert {r["filing_id"] for r in read_rows(everything.decode("utf-8-sig"))} == {
        split,
        joined,
        within,
    }
    assert _marks(w.engine) == first
    exported = [e for e in store.list_audit(w.engine) if e.action == "filing.exported"]
    assert sorted(e.subject_id for e in exported) == sorted([split, within, joined])  # once each


def test_kiosk_profile_keeps_its_39_columns_and_adds_the_form_fields(world: World) -> None:
    csrf = world.login(SUPERVISOR, PASSWORD)
    _, _, body = _download(world, csrf)
    rows = read_rows(body.decode("utf-8-sig"))
    header = list(rows[0])
    assert header[:ORIGINAL_COLUMNS] == [
        "filing_id", "source", "kiosk_id", "received_at", "accepted_at", "accepted_by",
        "resident_binding", "ward_code", "kind", "kind_ja", "notified_on", "moved_on",
        "household_mode", "member_no", "member_count", "name", "furigana", "birth_date", "sex",
        "relationship", "relationship_codes", "from_chip", "new_lg_code", "new_machiaza_id",
        "new_postal_code", "new_prefecture", "new_city", "new_town", "new_block",
        "new_residence", "new_chiban", "new_katagaki", "new_free_text", "new_country",
        "old_lg_code", "old_address_text", "filer_name", "filer_standing", "phone",
    ]  # fmt: skip
    by_id = {r["filing_id"]: r for r in rows if r["member_no"] == "1"}
    split = by_id[_split_with_old_address().filing_id]
    assert split["old_address_text"] == "東京都新宿区新宿一丁目2番5号\u3000メゾン新宿101"
    assert split["received_at"] == "2026-11-27T10:31:00+09:00"  # JST, not UTC
    assert split["accepted_at"] == "2026-11-27T11:00:00+09:00"
    assert (split["previous_head_name"], split["previous_head_furigana"]) == (
        "山本 正",
        "ヤマモト タダシ",
    )
    assert split["language_ja"] == "英語"
    assert split["exported_at"].endswith("+09:00") and split["exported_by"] == f"staff:{SUPERVISOR}"
    joined = by_id[example("move_in_join_existing_household").filing_id]
    assert joined["existing_head_name"] == "佐藤 健一" and joined["head_name"] == "佐藤 健一"
    assert joined["card_tasks"] == "継続利用・券面記載事項変更・署名用電子証明書"
    assert "住民基本台帳用暗証番号" in joined["card_pins"] and "署名用" in joined["card_pins"]
    assert "印鑑登録:窓口で確認" in joined["related_procedures"]
    assert joined["related_check_at_counter"] == "印鑑登録"
    within = [r for r in rows if r["filing_id"] == example("move_within_3_persons").filing_id]
    assert [r["card_tasks"] for r in within] == ["券面記載事項変更・署名用電子証明書"] * 2 + [""]
    filing_id = within[0]["filing_id"]
    assert within[0]["receipt_number"] == receipt_number_display(receipt_number(filing_id))


def test_cp932_ward_setting_refuses_loss_without_marking_then_substitutes(
    world: World, tmp_path: Path
) -> None:
    _insert(world.engine, example("move_within_gaiji_names"))  # 𠮷 etc.: not in cp932
    (tmp_path / EXPORT_SETTINGS_FILE).write_text(json.dumps({"encoding": "cp932"}), "utf-8")
    csrf = world.login(SUPERVISOR, PASSWORD)
    status, _, body = _download(world, csrf)
    assert status == 409 and "Shift_JIS" in body.decode("utf-8") and "U+20BB7" in body.decode()
    assert all(mark == (None, None) for mark in _marks(world.engine).values())  # nothing marked
    (tmp_path / EXPORT_SETTINGS_FILE).write_text(
        json.dumps({"encoding": "cp932", "allow_loss": True, "ward_code": "131041"}), "utf-8"
    )
    status, _, body = _download(world, csrf)
    assert status == 200 and not body.startswith(BOM)
    decoded = body.decode("cp932")
    assert "〓" in decoded and "山本 正" in decoded


def test_cli_not_exported_and_mark(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'intake.db'}"
    out = tmp_path / "first.csv"
    assert cli_main(["export", "--db", db, "--format", "csv", "--not-exported", "--mark",
                     "--encoding", "utf-8-sig", "--output", str(out)]) == 0  # fmt: skip
    assert out.read_bytes().startswith(BOM)
    assert len({r["filing_id"] for r in read_rows(out.read_text("utf-8-sig"))}) == 3
    assert "marked 3 filings" in capsys.readouterr().err
    assert all(by and by.startswith("cli:") for _, by in _marks(world.engine).values())
    second = tmp_path / "second.csv"
    assert cli_main(["export", "--db", db, "--format", "csv", "--not-exported",
                     "--output", str(second)]) == 0  # fmt: skip
    assert read_rows(second.read_text("utf-8")) == []
    # without --not-exported the old contract holds: every accepted filing
    third = tmp_path / "third.csv"
    assert cli_main(["export", "--db", db, "--format", "csv", "--output", str(third)]) == 0
    assert len({r["filing_id"] for r in read_rows(third.read_text("utf-8"))}) == 3
