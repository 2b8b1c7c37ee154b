"""Issue 12 by real touches (demo app, Kivy offscreen, own process): card swaps and the
card-removed pause, step indicator and whose card, dates by keypad, the 受付番号 without paper,
the last-try screen's time limit. Each visit fails on the code before issue 12."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.render.qr import read_qr_texts
from tests.fixtures.kivy import DemoRun, DemoRunner

pytestmark = [pytest.mark.ui, pytest.mark.slow]

#: the standard visit may take this many touches to type a 1948 birth date (issue 12)
BIRTH_TOUCHES_MAX = 10


def _passed(run: DemoRun, *screens: str) -> None:
    """The visit ended as scripted and nothing on ``screens`` was cut off or out of view."""
    assert run.returncode == 0, run.log
    assert run.failure == "", run.log
    mine = [o for o in run.summary["overflow"] if o.split("/")[1].split(":")[0] in screens]
    assert mine == [], "\n".join(mine)


def _shots(run: DemoRun, screen: str) -> list[Path]:
    return sorted(run.screenshots.glob(f"*_{screen}.png"))


def _texts(shot: Path) -> list[str]:
    data = json.loads(shot.with_suffix(".json").read_text())
    return [str(t["name"]) for t in data["texts"]]


def test_card_taken_off_pauses_resumes_with_the_same_card_and_wipes_after_the_countdown(
    kiosk_demo: DemoRunner,
) -> None:
    run = kiosk_demo(["card_pulled_mid_visit"], "issue12_card_pulled")
    _passed(run, "card_removed", "address")
    screens = run.summary["screens"]
    # paused (not wiped), resumed on the address picker, paused again, wiped by the countdown
    assert screens[-6:] == ["card_removed", "card_removed", "card_removed", "address",
                            "card_removed", "welcome"]  # fmt: skip
    paused = _texts(_shots(run, "card_removed")[0])
    assert any("カードが取り出されました" in t for t in paused)
    assert any(t.strip().isdigit() and 25 <= int(t) <= 30 for t in paused)  # the countdown


def test_household_card_swaps_keep_the_visit_and_name_whose_card(kiosk_demo: DemoRunner) -> None:
    run = kiosk_demo(["household_card_swaps"], "issue12_card_swaps")
    _passed(run, "pin", "place_card", "household")
    pins = [_texts(s) for s in _shots(run, "pin")]
    assert any(any(t.startswith("2人目") for t in texts) for texts in pins)
    steps = [t for texts in pins for t in texts if t.startswith("ステップ")]
    assert steps and all("/ 5" in t for t in steps)


def test_a_1948_birth_date_takes_at_most_ten_touches(kiosk_demo: DemoRunner) -> None:
    run = kiosk_demo(["birth_date_1948"], "issue12_birth_date")
    _passed(run, "date_entry", "member_details")
    by_screen = [tuple(x) for x in run.summary["touches_by_screen"]]
    first_date = next(count for screen, count in by_screen if screen == "date_entry")
    print(f"touches to enter a 1948 birth date: {first_date}")
    assert first_date <= BIRTH_TOUCHES_MAX
    # shown back in 和暦 and 西暦, each with its weekday
    shown = [t for shot in _shots(run, "date_entry") for t in _texts(shot)]
    assert any("昭和23年5月12日（水）" in t and "1948-05-12 (水" in t for t in shown)
    assert not any(k.startswith("bd_year") for k in json.dumps(run.summary))  # no steppers


def test_without_paper_the_done_screen_shows_the_number_and_a_qr_of_the_filing(
    kiosk_demo: DemoRunner,
) -> None:
    run = kiosk_demo(["no_paper_still_a_number"], "issue12_no_paper")
    _passed(run, "done", "print_problem")
    done = _shots(run, "done")[-1]
    with Image.open(done) as picture:
        decoded = read_qr_texts([picture.convert("L")])
    assert len(decoded) == 1  # the filing id, as the clerk's scanner reads it
    number = receipt_number_display(receipt_number(decoded[0]))
    assert number in _texts(done)


def test_last_try_says_how_long_the_pin_screens_wait(kiosk_demo: DemoRunner) -> None:
    run = kiosk_demo(["last_try_says_the_limit"], "issue12_last_try")
    _passed(run, "last_try")


def test_a_wrong_signing_pin_in_large_text_keeps_the_error_style_and_the_whole_keypad(
    kiosk_demo: DemoRunner,
) -> None:
    run = kiosk_demo(["sign_pin_wrong_large_text"], "issue12_sign_pin_wrong")
    _passed(run, "sign_pin")
    shown = [t for shot in _shots(run, "sign_pin") for t in _texts(shot)]
    assert any("さんのカード" in t for t in shown)  # whose card
