"""Every screen in every language: screenshots as artifacts, no text overflowing its widget."""

from __future__ import annotations

import pytest

from kiosk.i18n.languages import LANGUAGES
from tests.fixtures.kivy import DemoRunner

pytestmark = [pytest.mark.ui, pytest.mark.slow]

ALL_SCREENS = {
    "welcome", "procedure", "place_card", "last_try", "pin", "confirm_data", "address",
    "text_entry", "household", "member_details", "relationship", "related", "review",
    "print_problem", "done", "blocked", "out_of_service", "maintenance",
}  # fmt: skip


def test_every_screen_in_every_language_fits(kiosk_demo: DemoRunner) -> None:
    codes = [lang.code for lang in LANGUAGES]
    run = kiosk_demo(["tour_all_screens"], "languages", languages=codes)
    assert run.returncode == 0, run.log
    assert run.summary["overflow"] == [], "\n".join(run.summary["overflow"])
    shots = {p.name for p in run.screenshots.glob("*.png")}
    for code in codes:
        seen = {name.rsplit("_", 1)[0].split(f"_{code}_", 1)[-1] for name in shots}
        del seen
        for screen in ALL_SCREENS:
            assert any(f"_{code}_" in n and n.endswith(f"_{screen}.png") for n in shots), (
                code,
                screen,
            )
