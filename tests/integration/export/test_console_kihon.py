"""The console's export control: the profile choice, the kihon CSV and its refusal page."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from server_sync.intake import store
from server_sync.intake.console.exports import KIHON_MAPPING_DIR
from server_sync.intake.export import CSV_COLUMNS
from server_sync.intake.kihon import KIHON_COLUMNS
from server_sync.intake.store.filings import INSERT_FILING_SQL, row_params
from tests.unit.console.conftest import World, make_world
from tests.unit.export.kit import MAPPING, example, read_rows

SUPERVISOR, PASSWORD = "super1", "supervisor secret!"
BOM = "\ufeff".encode()
NAMES = ("move_in_join_existing_household", "move_in_foreign_household", "move_within_gaiji_names")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """Intake + console with a supervisor and three accepted example filings."""
    for w in make_world(tmp_path):
        store.create_staff(
            w.engine, SUPERVISOR, PASSWORD, now=w.clock(), actor="t", role="supervisor"
        )
        with w.engine.begin() as conn:
            for name in NAMES:
                conn.execute(text(INSERT_FILING_SQL), row_params(example(name)))
        yield w


def test_console_offers_both_profiles_and_exports_kihon(world: World, tmp_path: Path) -> None:
    csrf = world.login(SUPERVISOR, PASSWORD)
    page = world.client.get("/console/export")
    assert 'name="profile"' in page.text and 'value="kihon"' in page.text
    kiosk = world.client.post("/console/export", data={"csrf_token": csrf})
    assert kiosk.status_code == 200 and kiosk.content.startswith(BOM)
    assert tuple(read_rows(kiosk.content.decode("utf-8-sig"))[0]) == CSV_COLUMNS

    again = {"csrf_token": csrf, "profile": "kihon", "reexport": "1"}  # all three were marked
    refused = world.client.post("/console/export", data=again)
    assert refused.status_code == 409 and KIHON_MAPPING_DIR in refused.text

    shutil.copytree(MAPPING, tmp_path / KIHON_MAPPING_DIR)
    answer = world.client.post("/console/export", data=again)
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert re.search(r'filename="\d{6}_\d{8}-\d{8}_kihon\.csv"', disposition)
    rows = read_rows(answer.content.decode("utf-8-sig"))
    assert tuple(rows[0]) == KIHON_COLUMNS and len(rows) == 1 + 2 + 3
    assert {r["世帯主氏名"] for r in rows if r["続柄表記"] == "妻の母"} == {"佐藤 健一"}
    audit = store.list_audit(world.engine)
    details = [json.loads(e.detail) for e in audit if e.action == "export.downloaded"]
    kihon = [d for d in details if d.get("profile") == "kihon"]
    assert len(kihon) == 1 and kihon[0]["filings"] == 3 and kihon[0]["reexport"] is True
    assert kihon[0]["marked"] == 0  # a re-export keeps the first marks
