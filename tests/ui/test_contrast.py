"""Text contrast of every screen in every language, measured in the rendered screenshots.

For each text the sweep drew (boxes written beside each screenshot), the background is the
box's dominant colour and the text colour the farthest well-represented one (WCAG relative
luminance, ``kiosk.demo.contrast``). The report, the lowest ratio per screen and language, is
printed and written to ``artifacts/contrast/``.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from kiosk.demo.contrast import (
    AA_RATIO,
    AAA_RATIO,
    measure_box,
    measure_shot,
    ratio,
    report_of,
)
from tests.ui.conftest import CODES, SWEEPS, GalleryRuns

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(900)]


def _table(found: dict[str, dict[str, float]]) -> str:
    lines = ["screen".ljust(18) + "".join(code.rjust(9) for code in CODES)]
    for screen in sorted(found):
        row = found[screen]
        lines.append(screen.ljust(18) + "".join(
            (f"{row[code]:.1f}" if code in row else "-").rjust(9) for code in CODES
        ))  # fmt: skip
    return "\n".join(lines)


def test_measurement_reads_text_and_background_from_pixels(tmp_path: Path) -> None:
    """The measurement itself: dark grey text on a grey panel is found low, black on white high."""
    picture = Image.new("RGB", (200, 100), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, 99, 99), fill=(60, 60, 60))
    for x in range(10, 90, 6):  # "glyph" strokes
        draw.rectangle((x, 30, x + 2, 70), fill=(30, 30, 30))
        draw.rectangle((x + 100, 30, x + 102, 70), fill=(0, 0, 0))
    low = measure_box(picture, [0, 0, 100, 100], "dim")
    high = measure_box(picture, [100, 0, 200, 100], "sharp")
    assert low is not None and high is not None
    assert low.background == (60, 60, 60) and low.text == (30, 30, 30)
    assert low.ratio == pytest.approx(ratio((60, 60, 60), (30, 30, 30)), abs=0.01)
    assert low.ratio < 2 and high.ratio == 21.0


def test_every_text_on_every_screen_reaches_aa(gallery: GalleryRuns, artifacts_dir: Path) -> None:
    """≥ 4.5:1 for every text in every screenshot of every sweep; the high-contrast sweep
    (and its idle prompt) ≥ 7:1."""
    out = artifacts_dir / "contrast"
    out.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for name, sweep in SWEEPS.items():
        run = gallery(name)
        assert run.returncode == 0, run.log
        shots = sorted(run.screenshots.glob("*.png"))
        floor = AAA_RATIO if sweep.script == "tour_large_contrast" else AA_RATIO
        # each screenshot measured once, on every core (thousands of them)
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            measured = dict(zip(shots, pool.map(measure_shot, shots, chunksize=16), strict=True))
        for shot, texts in measured.items():
            for text in texts:
                if text.ratio < floor:
                    failures.append(f"{name}/{shot.name}: {text.name!r} {text.ratio}:1 "
                                    f"({text.text} on {text.background})")  # fmt: skip
        found = report_of(measured)
        assert found, f"no text measured in {name}"
        summary[name] = found
        table = _table(found)
        print(f"\ncontrast, lowest ratio per screen and language ({name}):\n{table}")
        (out / f"{name}.txt").write_text(table + "\n")
    (out / "report.json").write_text(json.dumps(summary, indent=1, sort_keys=True))
    lowest = min(v for sweep in summary.values() for row in sweep.values() for v in row.values())
    print(f"lowest contrast over all screenshots: {lowest:.2f}:1")
    assert not failures, "\n".join(failures[:40])
