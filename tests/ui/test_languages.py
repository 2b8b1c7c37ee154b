"""Every screen in every language, landscape and upright, normal and large text with high
contrast: screenshots as artifacts, no text overflowing its widget, no touch target out of view.

The sweeps (``tests/ui/conftest.py``) play each tour once by touches and show every screen state
it reaches in all eight languages through the app's language switch (``kiosk.demo.gallery``),
instead of replaying the tour per language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.fixtures.kivy import DemoRun
from tests.ui.conftest import CODES, SWEEPS, GalleryRuns

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(900)]

ALL_SCREENS = {
    "welcome", "procedure", "place_card", "last_try", "pin", "confirm_data", "address",
    "text_entry", "household", "member_details", "relationship", "related", "review",
    "print_problem", "done", "blocked", "out_of_service", "maintenance",
    "move_out_route", "date_entry", "sign_pin", "sign_last_try", "nationality", "honseki",
    "foreign", "card_removed", "card_request", "card_review", "change_kind", "filer",
    "move_abroad", "origin", "previous_head",
}  # fmt: skip
#: not a screen but shown over one: the "are you still there?" prompt
OVERLAYS = {"idle_prompt"}
SHOT = re.compile(r"^(?P<script>[a-z_]+?)_(?P<lang>ja_easy|[a-z]+)_(?P<n>\d{3})_(?P<screen>\w+)$")


def _checked(run: DemoRun, name: str) -> list[Path]:
    """The sweep passed with nothing cut off or out of view; its screenshots."""
    assert run.returncode == 0, run.log
    assert run.summary["overflow"] == [], "\n".join(run.summary["overflow"][:60])
    print(f"sweep {name}: {run.summary['wall_s']} s, {run.summary['screenshots']} shots")
    return sorted(run.screenshots.glob("*.png"))


def _shown(shots: list[Path]) -> dict[str, set[str]]:
    """Screens seen per language."""
    seen: dict[str, set[str]] = {code: set() for code in CODES}
    for shot in shots:
        match = SHOT.match(shot.stem)
        if match:
            seen.setdefault(match["lang"], set()).add(match["screen"])
    return seen


def _corner_grey(path: Path) -> int:
    with Image.open(path) as picture:
        return int(picture.convert("L").getpixel((4, 4)))


def test_every_screen_in_every_language_fits(gallery: GalleryRuns) -> None:
    shots = _checked(gallery("landscape"), "landscape")
    seen = _shown(shots)
    for code in CODES:
        missing = (ALL_SCREENS | OVERLAYS) - seen[code]
        assert not missing, (code, sorted(missing))


def test_every_screen_in_every_language_fits_upright(gallery: GalleryRuns) -> None:
    """The 800×1280 portrait configuration: fewer columns, taller rows, still nothing cut off;
    the tour is played in Vietnamese here (the landscape sweep plays it in Japanese)."""
    assert SWEEPS["portrait"].play != SWEEPS["landscape"].play
    shots = _checked(gallery("portrait"), "portrait")
    seen = _shown(shots)
    for code in CODES:
        assert not ALL_SCREENS - seen[code], (code, sorted(ALL_SCREENS - seen[code]))
    with Image.open(shots[0]) as picture:
        assert picture.size == (800, 1280), picture.size


def test_large_text_and_high_contrast_in_every_language(gallery: GalleryRuns) -> None:
    """A whole visit at 1.3x text in the high-contrast theme, every screen state in every
    language: nothing cut off, the PIN pad whole on screen (``expect_visible``), and the next
    resident starts from the stand's defaults."""
    shots = _checked(gallery("large_contrast"), "large_contrast")
    pins = [p for p in shots if p.stem.endswith("_pin")]
    assert {m["lang"] for p in pins if (m := SHOT.match(p.stem))} == set(CODES)
    assert all(_corner_grey(p) < 40 for p in pins)  # the dark high-contrast background
    # the last welcome the tour showed (by its step number, not by language name)
    welcomes = sorted(
        (p for p in shots if p.stem.endswith("_welcome")), key=lambda p: p.stem.split("_")[-2]
    )
    assert _corner_grey(welcomes[-1]) > 200, welcomes[-1]  # next resident: the light theme


def test_large_text_upright_in_every_language(gallery: GalleryRuns) -> None:
    """Large text on the 800×1280 panel, the narrowest room there is: every wrapped label grows
    its button (and the footer) instead of running out of it; keyboard keys stay in view."""
    shots = _checked(gallery("large_portrait"), "large_portrait")
    seen = _shown(shots)
    assert {"origin", "relationship", "text_entry", "review", "pin"} <= seen["fil"], seen["fil"]
    with Image.open(shots[0]) as picture:
        assert picture.size == (800, 1280), picture.size


def test_idle_prompt_counts_down_with_a_large_continue(gallery: GalleryRuns) -> None:
    """The idle warning in every language shows the seconds left and a "continue" button half
    as tall again as an ordinary one (boxes written beside each screenshot)."""
    for name in ("landscape", "large_contrast"):
        run = gallery(name)
        prompts = sorted(run.screenshots.glob("*_idle_prompt.json"))
        assert {m["lang"] for p in prompts if (m := SHOT.match(p.stem))} == set(CODES), name
        for sidecar in prompts:
            texts = json.loads(sidecar.read_text())["texts"]
            button = next(t for t in texts if t["name"] == "idle_continue")
            assert button["box"][3] - button["box"][1] >= 1.4 * 72, (sidecar.name, button)
            assert any(re.search(r"\d", t["name"]) for t in texts if t["kind"] == "label"), (
                sidecar.name
            )


#: the screens whose errors this sweep shows in the one error style (icon + frame + words)
ERROR_SCREENS = ("print_problem", "blocked", "out_of_service")
WARN_RGB = (184, 46, 26)  # the normal theme's "warn" (kiosk.theme)


def test_errors_in_one_style_with_icon_and_words(gallery: GalleryRuns) -> None:
    """print_problem, blocked and out_of_service show the error panel in every language: the
    warning-coloured frame, the "!" icon (never colour alone) and at least two lines of words
    (what happened, what to do)."""
    run = gallery("landscape")
    for screen in ERROR_SCREENS:
        shots = sorted(run.screenshots.glob(f"*_{screen}.png"))
        assert {m["lang"] for p in shots if (m := SHOT.match(p.stem))} == set(CODES), screen
        for shot in shots:
            texts = json.loads(shot.with_suffix(".json").read_text())["texts"]
            assert any(t["name"] == "!" for t in texts), shot.name
            assert sum(t["kind"] == "label" and t["name"] != "!" for t in texts) >= 3, shot.name
            with Image.open(shot) as picture:
                colours = picture.convert("RGB").getcolors(picture.width * picture.height) or []
            warn = sum(
                n
                for n, rgb in colours
                if max(abs(a - b) for a, b in zip(rgb, WARN_RGB, strict=True)) < 8
            )
            assert warn > 2000, (shot.name, warn)  # the frame and the icon's disc
