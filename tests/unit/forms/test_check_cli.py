"""``python -m kiosk.forms check``: one JSON object per example, exit 0/1/2 (a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLES, REPO

DIR = EXAMPLES[0].parent
TODAY = "2026-11-27"


def _run(*args: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.forms", "check", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 1  # one JSON object
    result: dict[str, Any] = json.loads(lines[0])
    return done.returncode, result


def _codes(doc: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(f["severity"], f["code"], f["field"]) for f in doc["findings"]}


#: (example, expected special_move_in, findings that must be present)
EXPECTED = {
    "move_in_special_inside_window": (
        {"status": "eligible", "last_day": "2026-12-06"},
        {("warning", "special_move_in.bring_card_and_pin", "move_out_route")},
    ),
    "move_in_special_expired": (
        {"status": "expired", "last_day": "2026-10-31"},
        {
            ("warning", "special_move_in.expired", "planned_move_out_on"),
            ("warning", "moved_on.late", "moved_on"),
        },
    ),
    "household_split_no_address": ({"status": "not_applicable", "last_day": None}, set()),
    "household_merge": ({"status": "not_applicable", "last_day": None}, set()),
    "head_change": ({"status": "not_applicable", "last_day": None}, set()),
    "move_out_partial_new_head": ({"status": "not_applicable", "last_day": None}, set()),
    "move_within_proxy": (
        {"status": "not_applicable", "last_day": None},
        {("warning", "filer.proxy.power_of_attorney", "filer.standing")},
    ),
    "move_in_foreign_household": (
        {"status": "not_applicable", "last_day": None},
        {
            ("warning", "member.relationship.foreign_proof", "members[1].relationship"),
            ("warning", "member.foreign.bring_card", "members[0].foreign"),
            ("warning", "move_in.bring_certificate", "move_out_route"),
        },
    ),
    "move_in_japanese_honseki": (
        {"status": "not_applicable", "last_day": None},
        {("warning", "move_in.bring_certificate", "move_out_route")},
    ),
    "move_in_online_outside_window": (
        {"status": "eligible", "last_day": "2026-12-05"},
        {("warning", "special_move_in.online_window", "planned_move_out_on")},
    ),
    "move_within_proxy_old_attorney": (
        {"status": "not_applicable", "last_day": None},
        {
            ("warning", "filer.proxy.power_of_attorney_old", "filer.power_of_attorney_dated"),
            ("warning", "filer.proxy.power_of_attorney", "filer.standing"),
        },
    ),
    "move_out_abroad_head_only": (
        {"status": "not_applicable", "last_day": None},
        {
            ("warning", "move_out.abroad_new_head_consent", "household.origin.remaining_head"),
            ("warning", "household.origin.automatic_head", "household.origin.staying"),
            ("warning", "move_out.abroad_card", "new_address.country"),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_v2_example_checks_as_expected(name: str) -> None:
    code, doc = _run("--filing", str(DIR / f"{name}.json"), "--today", TODAY)
    special, present = EXPECTED[name]
    assert code == 0, doc
    assert set(doc) == {"findings", "special_move_in", "card_tasks"}
    assert doc["special_move_in"] == special
    assert present <= _codes(doc)
    assert not any(f["severity"] == "error" for f in doc["findings"])
    raw = json.loads((DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert raw["format"] == 2
    assert len(doc["card_tasks"]) == len(raw["members"])


def test_card_tasks_per_member() -> None:
    _, doc = _run("--filing", str(DIR / "move_in_special_inside_window.json"), "--today", TODAY)
    every = ["continued_use", "signature_certificate", "surface_update"]
    assert doc["card_tasks"] == [every, every]


def test_errors_exit_1_with_the_json_path(tmp_path: Path) -> None:
    raw = json.loads((DIR / "move_in_foreign_household.json").read_text(encoding="utf-8"))
    raw["members"][1]["foreign"]["residence_card_number"] = "AB1234CD"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    code, doc = _run("--filing", str(path), "--today", TODAY)
    assert code == 1
    assert (
        "error",
        "member.foreign.residence_card_number.format",
        "members[1].foreign.residence_card_number",
    ) in _codes(doc)


def test_the_day_matters_for_the_window() -> None:
    path = str(DIR / "move_in_special_inside_window.json")
    _, doc = _run("--filing", path, "--today", "2026-12-07")
    assert doc["special_move_in"] == {"status": "expired", "last_day": "2026-12-06"}


@pytest.mark.parametrize("content", ["{}", "not json", '{"format": 9}'])
def test_not_a_filing_exits_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    code, doc = _run("--filing", str(path), "--today", TODAY)
    assert code == 2 and doc["error"]["code"] == "filing_format"
    code, doc = _run("--filing", str(tmp_path / "missing.json"))
    assert code == 2 and doc["error"]["code"] == "file_not_found"


def test_version_1_examples_still_check() -> None:
    code, doc = _run("--filing", str(DIR / "move_within_3_persons.json"), "--today", TODAY)
    assert code == 0 and doc["card_tasks"][2] == []
