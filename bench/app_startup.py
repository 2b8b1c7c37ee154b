"""Start-up to the welcome screen, as a ratio to a bare Kivy window started the same way.

Both are fresh processes under SDL's offscreen driver; each prints a line from its first frame
and exits. Median of N runs each, bare and app interleaved (issue 14 target: ratio <= 1.25). The
CPU the process used until then (user + system, read from /proc when "ready" arrives) is printed
too: on a shared machine it varies less than the wall clock.

The project's modules are byte-compiled first, as pip does when it installs the wheel on the
device (Kivy's own modules were compiled when pip installed them): without it, a machine with
PYTHONDONTWRITEBYTECODE set would charge the app for compiling its source on every start.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_RATIO = 1.25
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# configured like the kiosk's window (size, no MSAA), so the ratio compares like with like
BARE = """
import os
os.environ.setdefault("KIVY_NO_ARGS", "1")
from kivy.config import Config
Config.set("graphics", "width", "1280")
Config.set("graphics", "height", "800")
Config.set("graphics", "multisamples", "0")
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.label import Label

class Bare(App):
    def load_kv(self, filename=None):
        return False  # no kv file (and no source file under python -c)

    def build(self):
        return Label(text="welcome")
    def on_start(self):
        Clock.schedule_once(lambda dt: (print("ready", flush=True), self.stop()), 0)

Bare().run()
"""


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _time_to_ready(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from the start of ``cmd`` to its "ready" line."""
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_CONSOLELOG": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "ready":
            elapsed = time.perf_counter() - start
            cpu = _cpu_s(proc.pid)
            break
    else:
        raise RuntimeError(f"{cmd} never became ready")
    proc.wait(60)
    return elapsed, cpu


def main() -> int:
    """Print both medians and the ratio; exit 1 above the target."""
    out = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    app_cmd = [sys.executable, "-m", "kiosk", "demo", "--reader", "sim", "--no-intake"]
    app_cmd += ["--out", str(out)]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "kiosk", "server_sync"], cwd=REPO, check=True
    )
    _time_to_ready([*app_cmd, "--exit-when-ready"])  # builds the demo master once (not timed)
    bare: list[tuple[float, float]] = []
    app: list[tuple[float, float]] = []
    for _ in range(RUNS):  # interleaved: a busy moment of the machine hits both alike
        bare.append(_time_to_ready([sys.executable, "-c", BARE]))
        app.append(_time_to_ready([*app_cmd, "--exit-when-ready"]))
    bare_s, app_s = (statistics.median(w for w, _ in runs) for runs in (bare, app))
    bare_cpu, app_cpu = (statistics.median(c for _, c in runs) for runs in (bare, app))
    ratio = app_s / bare_s
    print(f"bare Kivy window: {bare_s:.3f} s, CPU {bare_cpu:.2f} s (median of {RUNS})")
    print(f"kiosk welcome screen: {app_s:.3f} s, CPU {app_cpu:.2f} s (median of {RUNS})")
    print(f"ratio: {ratio:.2f} (target <= {TARGET_RATIO}); CPU ratio {app_cpu / bare_cpu:.2f}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
