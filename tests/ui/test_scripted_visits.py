"""The example visits, played by real touches in the demo app (Kivy offscreen, own process)."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.demo.pcsc_stack import LOCK_HELD_BY_ENV
from tests.fixtures.kivy import VISITS, DemoRun, DemoRunner

pytestmark = [pytest.mark.ui, pytest.mark.slow]

RESIDENT_VISITS = [
    "move_within_3_persons",
    "move_in_join_household",
    "move_in_special_inside_window",
    "move_in_special_outside_window",
    "move_in_japanese_honseki",
    "move_in_foreign_household",
    "move_out",
    "wrong_pin_then_right",
    "card_pulled_mid_visit",
    "last_try_confirmation",
    "idle_reset",
    "paper_out_then_refilled",
    "hotplug_out_of_service",
    "staff_maintenance",
    "central_link_down",
    "household_split",
    "household_merge",
    "head_change",
    "move_out_partial_new_head",
    "proxy_filing",
    "move_out_abroad",
    "seal_card_binding",
    "honseki_registration",
]


@pytest.mark.parametrize("script", RESIDENT_VISITS)
def test_example_visit_ends_as_scripted(kiosk_demo: DemoRunner, script: str) -> None:
    run = kiosk_demo([script], script)
    assert run.returncode == 0, run.log
    assert run.failure == "", run.log
    assert run.summary["overflow"] == []
    assert len(list(run.screenshots.glob("*.png"))) == run.summary["screenshots"] > 0


def test_three_person_move_prints_once_and_needs_few_touches(kiosk_demo: DemoRunner) -> None:
    run = kiosk_demo(["move_within_3_persons"], "move_within_3_persons_count")
    assert run.returncode == 0, run.log
    assert run.summary["printed_jobs"] == 1
    assert "review" in run.summary["screens"] and run.summary["screens"][-1] == "welcome"
    # resident touches (the script's taps): 3 cards, 3 PINs, address, 方書 "302"
    assert run.summary["touches"] <= 30


#: touches per screen of the standard 3-person 転居 (card placements are free): each 続柄 is one
#: touch on the household list (妻 after 花子's card, 子 after 健's); the 方書 choice sits on the
#: address picker's last level (a house: the 号 ends the address, no 方書 keyboard); the holder's
#: card put back for the signature ends the complete list, so the list needs no "next" touch
STANDARD_TOUCHES = [
    ["welcome", 1], ["pin", 4], ["address", 4], ["pin", 4],
    ["household", 1], ["pin", 4], ["household", 1], ["review", 1],
]  # fmt: skip


def test_standard_three_person_move_touches_per_screen(kiosk_demo: DemoRunner) -> None:
    run = kiosk_demo(["standard_3_person_move_within"], "standard_3_person_move_within")
    assert run.returncode == 0, run.log
    assert run.summary["printed_jobs"] == 1
    assert run.summary["touches_by_screen"] == STANDARD_TOUCHES
    assert run.summary["touches"] == 20  # the sum of STANDARD_TOUCHES: the target


def test_every_example_script_is_covered() -> None:
    names = {p.stem for p in VISITS.glob("*.json")}
    covered = {"tour_all_screens", "tour_large_contrast", "standard_3_person_move_within"}
    covered |= {"delivered_to_local_intake"}  # test_languages.py, bench, test_demo_intake.py
    covered |= {
        "household_card_swaps",
        "birth_date_1948",
        "no_paper_still_a_number",
        "last_try_says_the_limit",
        "sign_pin_wrong_large_text",
    }  # test_issue12_visits.py
    covered |= {"foreign_resident_vi", "town_reading_ja"}  # test_foreign_resident.py
    assert set(RESIDENT_VISITS) | covered == names


@pytest.mark.pcsc
def test_three_person_move_through_pcscd_and_vpcd(kiosk_demo: DemoRunner, pcsc_stack) -> None:  # type: ignore[no-untyped-def]
    """The same visit with the cards in pcscd's vpcd reader, read through pyscard."""
    run = kiosk_demo(
        ["move_within_3_persons"],
        "move_within_3_persons_pcsc",
        reader="pcsc",
        extra_env={LOCK_HELD_BY_ENV: str(os.getpid())},  # this test run holds the PC/SC lock
    )
    assert run.returncode == 0, run.log
    assert run.failure == ""
    assert run.summary["reader"] == "pcsc"
    assert run.summary["printed_jobs"] == 1


def _delivered(kiosk_demo: DemoRunner, tmp_path: Path, name: str) -> tuple[DemoRun, Any]:
    """Play ``name`` with the demo's local intake; the one filing as the intake received it."""
    raw = json.loads((VISITS / f"{name}.json").read_text(encoding="utf-8"))
    raw["name"] = f"{name}_delivered"
    raw["steps"] = [
        {"expect_delivered": True} if "expect_outbox" in step else step for step in raw["steps"]
    ]
    script = tmp_path / f"{name}_delivered.json"
    script.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    run = kiosk_demo([], f"{name}_delivered", extra_args=["--intake", "--script", str(script)])
    assert run.returncode == 0, run.log
    assert run.failure == "", run.log
    assert run.out is not None
    with sqlite3.connect(run.out / "intake.db") as db:
        rows = db.execute("SELECT filing_json FROM filings").fetchall()
    assert len(rows) == 1, rows
    return run, json.loads(rows[0][0])


def test_move_out_abroad_files_the_one_year_answer(kiosk_demo: DemoRunner, tmp_path: Path) -> None:
    """Abroad → country, address, "one year or more": the intake gets the answer and the country."""
    run, filing = _delivered(kiosk_demo, tmp_path, "move_out_abroad")
    assert "move_abroad" in run.summary["screens"]
    assert filing["kind"] == "move_out"
    assert filing["abroad_for_one_year_or_more"] is True
    assert filing["new_address"]["country"] == "ベトナム"


def test_proxy_filing_carries_the_letter_of_proxy_date(
    kiosk_demo: DemoRunner, tmp_path: Path
) -> None:
    """A 任意代理人 gives the 委任状 date on the keypad ("yesterday"); the filing carries it."""
    run, filing = _delivered(kiosk_demo, tmp_path, "proxy_filing")
    filer = filing["filer"]
    assert filer["standing"] == "proxy" and filer["name"] == "スズキ イチロウ"
    notified = date.fromisoformat(filing["notified_on"])
    assert filer["power_of_attorney_dated"] == (notified - timedelta(days=1)).isoformat()
    assert "move_abroad" in run.summary["screens"]  # 転出: in Japan or abroad was asked
