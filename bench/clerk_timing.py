"""Clerk timing: scan → 受理 for a standard filing, in keystrokes, clicks and scrolls.

Runs the Chromium test that plays the clerk at 1366×768 (real uvicorn intake, headless Chromium:
tests/integration/console/test_clerk_day_browser.py) and prints what it measured
(artifacts/clerk_timing.json). Target: 0 scrolls and ≤ 2 deliberate actions from the scan to
受理, by keyboard (Ctrl+Enter, Enter) and by mouse (two clicks). Before issue 17 it was one
unconfirmed click (or many Tabs).

Usage: .venv/bin/python bench/clerk_timing.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST = (
    "tests/integration/console/test_clerk_day_browser.py"
    "::test_review_shows_warnings_and_accepts_by_ctrl_enter_then_enter"
)
RESULT = REPO / "artifacts" / "clerk_timing.json"
MAX_ACTIONS = 2
MAX_SCROLLS = 0


def main() -> int:
    RESULT.unlink(missing_ok=True)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode != 0 or not RESULT.exists():
        print(run.stdout[-2000:], run.stderr[-2000:])
        return 1
    timing = json.loads(RESULT.read_text())
    print(json.dumps(timing, ensure_ascii=False, indent=1))
    worst = max(timing["keyboard"]["deliberate_actions"], timing["mouse"]["deliberate_actions"])
    ok = worst <= MAX_ACTIONS and timing["scrolls"] <= MAX_SCROLLS
    verdict = "met" if ok else "MISSED"
    print(f"target ≤{MAX_ACTIONS} deliberate actions, {MAX_SCROLLS} scrolls: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
