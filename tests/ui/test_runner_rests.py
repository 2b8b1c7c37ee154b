"""A scripted visit's waits cost wall time, not CPU.

Unpaced frames (``--maxfps 0``) spun a whole core while a step waited (a countdown, the flow's
card-reading thread, a delivery) and while the steady memory was awaited after the last step;
the test suite runs many such visits side by side on two cores. The runner now yields the CPU
in those frames (``WAIT_POLL_S``). Measured: the same script with and without a 6 s wait, the
CPU of each demo process read from ``getrusage`` of a parent that runs only it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.kivy import FAST_FRAMES, REPO

pytestmark = [pytest.mark.ui]

WAIT_S = 6.0
#: CPU a 6 s wait may cost at most (spinning costs 3 s or more even on a crowded machine)
WAIT_CPU_MAX_S = 1.5

#: runs the demo as its only child and prints that child's CPU seconds
MEASURE = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:]).returncode
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"CPU {used.ru_utime + used.ru_stime:.3f} RC {rc}")
"""


def _cpu_of_visit(tmp_path: Path, name: str, steps: list[dict[str, object]]) -> float:
    script = tmp_path / f"{name}.json"
    script.write_text(json.dumps({"name": name, "steps": steps}))
    summary = tmp_path / f"{name}-summary.json"
    cmd = [sys.executable, "-m", "kiosk", "demo", "--reader", "sim", *FAST_FRAMES,
           "--script", str(script), "--summary", str(summary),
           "--out", str(tmp_path / name)]  # fmt: skip
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_HOME": str(tmp_path / "kh")}
    proc = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    last = proc.stdout.strip().splitlines()[-1]
    assert last.endswith("RC 0"), proc.stdout[-2000:] + proc.stderr[-2000:]
    assert json.loads(summary.read_text())["failure"] == ""
    return float(last.split()[1])


def test_a_waiting_step_and_the_end_of_a_visit_leave_the_cpu_to_others(tmp_path: Path) -> None:
    plain = _cpu_of_visit(tmp_path, "no_wait", [{"expect": "welcome"}])
    waited = _cpu_of_visit(tmp_path, "wait", [{"wait": WAIT_S}, {"expect": "welcome"}])
    print(f"demo CPU without a wait {plain:.2f} s, with a {WAIT_S:.0f} s wait {waited:.2f} s")
    assert waited - plain < WAIT_CPU_MAX_S
