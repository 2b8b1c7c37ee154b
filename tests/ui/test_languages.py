"""Every screen in every language: screenshots as artifacts, no text overflowing its widget.

Landscape, upright (800×1280) and with large text + high contrast; each sweep runs the eight
languages in two demo processes side by side (2 cores).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from kiosk.i18n.languages import LANGUAGES
from tests.fixtures.kivy import DemoRun, DemoRunner

pytestmark = [pytest.mark.ui, pytest.mark.slow]

CODES = [lang.code for lang in LANGUAGES]
ALL_SCREENS = {
    "welcome", "procedure", "place_card", "last_try", "pin", "confirm_data", "address",
    "text_entry", "household", "member_details", "relationship", "related", "review",
    "print_problem", "done", "blocked", "out_of_service", "maintenance",
    "move_out_route", "date_entry", "sign_pin", "sign_last_try", "nationality", "honseki",
    "foreign",
}  # fmt: skip
SHOT = re.compile(r"tour_large_contrast_([a-z_]+?)_\d{3}_")


def _sweep(
    kiosk_demo: DemoRunner, script: str, prefix: str, extra_args: tuple[str, ...] = ()
) -> list[DemoRun]:
    """``script`` in every language (two processes); each run passed with nothing cut off."""
    halves = [CODES[0::2], CODES[1::2]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(
            pool.map(
                lambda half: kiosk_demo(
                    [script], f"{prefix}_{half[0]}", languages=half, extra_args=extra_args
                ),
                halves,
            )
        )
    for run in runs:
        assert run.returncode == 0, run.log
        assert run.summary["overflow"] == [], "\n".join(run.summary["overflow"])
    return runs


def _corner_grey(path: Path) -> int:
    with Image.open(path) as picture:
        return int(picture.convert("L").getpixel((4, 4)))


def test_every_screen_in_every_language_fits(kiosk_demo: DemoRunner) -> None:
    shots: set[str] = set()
    for run in _sweep(kiosk_demo, "tour_all_screens", "languages"):
        shots |= {p.name for p in run.screenshots.glob("*.png")}
    for code in CODES:
        for screen in ALL_SCREENS:
            wanted = f"_{code}_"
            assert any(wanted in n and n.endswith(f"_{screen}.png") for n in shots), (code, screen)


def test_every_screen_in_every_language_fits_upright(kiosk_demo: DemoRunner) -> None:
    """The 800×1280 portrait configuration: fewer columns, taller rows, still nothing cut off."""
    for run in _sweep(kiosk_demo, "tour_all_screens", "portrait", ("--portrait",)):
        shots = sorted(run.screenshots.glob("*_welcome.png"))
        assert shots, run.log
        with Image.open(shots[0]) as picture:
            assert picture.size == (800, 1280), picture.size


def test_large_text_and_high_contrast_in_every_language(kiosk_demo: DemoRunner) -> None:
    """A whole visit at 1.3x text in the high-contrast theme: nothing cut off, the PIN pad whole
    on screen (``expect_visible``), and the next resident starts from the stand's defaults."""
    for run in _sweep(kiosk_demo, "tour_large_contrast", "large_contrast"):
        pins = sorted(run.screenshots.glob("*_pin.png"))
        assert pins, run.log
        assert all(_corner_grey(p) < 40 for p in pins)  # the dark high-contrast background
        for code in {m.group(1) for p in pins if (m := SHOT.match(p.name))}:
            shots = sorted(run.screenshots.glob(f"tour_large_contrast_{code}_[0-9]*_welcome.png"))
            assert _corner_grey(shots[-1]) > 200, shots[-1]  # next resident: the light theme
