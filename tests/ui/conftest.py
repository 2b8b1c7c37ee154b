"""The screen-gallery sweeps, run once per test session and shared by the UI tests.

A sweep plays a tour by real touches in one language (``python -m kiosk demo --gallery``) and
shows every screen state it reaches in all eight languages (``kiosk.demo.gallery``). The
sweeps run side by side (two cores); each test asks for the ones it checks and the contrast
test reads the screenshots of all of them. Pictures land in ``artifacts/ui/gallery_<name>/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.i18n.languages import LANGUAGES
from tests.fixtures.kivy import FAST_FRAMES, REPO, VISITS, DemoRun

CODES = [lang.code for lang in LANGUAGES]
SWEEP_TIMEOUT_S = 840


@dataclass(frozen=True)
class Sweep:
    """One demo process: a tour played in ``play``, every screen shown in every language."""

    script: str
    play: str
    args: tuple[str, ...] = ()


#: landscape and upright, each playing the whole tour (in Japanese / Vietnamese), and large text
#: with high contrast, landscape and upright; the tours cover every screen (``ALL_SCREENS`` in
#: test_languages)
SWEEPS = {
    "landscape": Sweep("tour_all_screens", "ja"),
    "portrait": Sweep("tour_all_screens", "vi", ("--portrait",)),
    "large_contrast": Sweep("tour_large_contrast", "ja"),
    "large_portrait": Sweep("tour_large_contrast", "ja", ("--portrait",)),
}


def _run(sweep: Sweep, name: str, shots: Path, work: Path) -> DemoRun:
    for old in shots.glob("*.*"):
        old.unlink()
    shots.mkdir(parents=True, exist_ok=True)
    summary = work / f"{name}.json"
    cmd = [sys.executable, "-m", "kiosk", "demo", "--reader", "sim", *FAST_FRAMES,
           "--script", str(VISITS / f"{sweep.script}.json"), "--languages", sweep.play,
           "--gallery", ",".join(CODES), "--screenshots", str(shots),
           "--summary", str(summary), "--out", str(work / f"demo-{name}"), *sweep.args]  # fmt: skip
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KCFG_KIVY_LOG_LEVEL": "warning"}
    env.pop("KIVY_NO_CONSOLELOG", None)
    env["KIVY_HOME"] = str(work / f"kivy-home-{name}")
    started = time.monotonic()
    proc = subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=SWEEP_TIMEOUT_S
    )
    result = json.loads(summary.read_text()) if summary.exists() else {}
    result["wall_s"] = round(time.monotonic() - started, 1)
    log = proc.stdout[-4000:] + proc.stderr[-4000:]
    return DemoRun(proc.returncode, result, shots, log, work / f"demo-{name}")


GalleryRuns = Callable[[str], DemoRun]


@pytest.fixture(scope="session")
def gallery(artifacts_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> GalleryRuns:
    """``gallery(name) -> DemoRun`` for a sweep of ``SWEEPS``; all sweeps start on first use,
    two at a time, and each runs once per session."""
    work = tmp_path_factory.mktemp("gallery")
    pool = ThreadPoolExecutor(max_workers=2)
    futures: dict[str, Future[DemoRun]] = {}
    lock = threading.Lock()

    def get(name: str) -> DemoRun:
        with lock:
            if not futures:
                for key, sweep in SWEEPS.items():
                    shots = artifacts_dir / "ui" / f"gallery_{key}"
                    futures[key] = pool.submit(_run, sweep, key, shots, work)
        return futures[name].result()

    return get
