"""Start-up to the welcome screen, as a ratio to a bare Kivy window started the same way.

Both are fresh processes under SDL's offscreen driver; each prints a line from its first frame
and exits. Median of N runs each, bare and app interleaved (issue 14 target: ratio <= 1.25). The
CPU the process used until then (its threads' time on a CPU, read from /proc when "ready" arrives)
is printed too: on a shared machine it varies less than the wall clock. ``--compare-tree DIR``
runs another checkout's app (e.g. a copy of the tree before a change, its .venv a symlink;
repeatable) interleaved in the same run and prints its ratios beside this tree's;
"fastest/fastest" compares the least disturbed runs, "paired" the median of each run over the
bare run just before it.

The project's modules are byte-compiled first, as pip does when it installs the wheel on the
device (Kivy's own modules were compiled when pip installed them): without it, a machine with
PYTHONDONTWRITEBYTECODE set would charge the app for compiling its source on every start.
"""

from __future__ import annotations

import argparse
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
    """CPU seconds a running process used: the sum over its threads of /proc/…/schedstat (ns),
    else user + system from /proc/PID/stat (clock ticks: 10 ms steps, too coarse to compare
    changes of a few ms)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
        return sum(int((t / "schedstat").read_text().split()[0]) for t in tasks) / 1e9
    except (OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _time_to_ready(cmd: list[str], tree: Path = REPO) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from the start of ``cmd`` (run in ``tree``) to its "ready"."""
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_CONSOLELOG": "1"}
    if tree != REPO:  # that tree's kiosk package, not the installed one
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, text=True)
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


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main(argv: list[str] | None = None) -> int:
    """Print the medians and the ratio; exit 1 above the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compare-tree",
        type=Path,
        action="append",
        default=[],
        help="another checkout (e.g. the tree before a change): its app runs interleaved too "
        "(repeat for several)",
    )
    args = parser.parse_args(argv)
    trees = [REPO] + [tree.resolve() for tree in args.compare_tree]
    out = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    app_cmd = [sys.executable, "-m", "kiosk", "demo", "--reader", "sim", "--no-intake"]
    app_cmd += ["--out", str(out), "--exit-when-ready"]
    for tree in trees:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "kiosk", "server_sync"], cwd=tree, check=True
        )
        _time_to_ready(app_cmd, tree)  # builds the demo master once, warms caches (not timed)
    bare: list[tuple[float, float]] = []
    apps: dict[Path, list[tuple[float, float]]] = {tree: [] for tree in trees}
    for i in range(RUNS):  # interleaved: a busy moment of the machine hits all alike
        bare.append(_time_to_ready([sys.executable, "-c", BARE]))
        order = trees[i % len(trees) :] + trees[: i % len(trees)]  # each tree first in turn
        for tree in order:
            apps[tree].append(_time_to_ready(app_cmd, tree))
    bare_s, bare_cpu = _median(bare)
    bare_min = min(w for w, _ in bare)
    print(
        f"bare Kivy window: {bare_s:.3f} s, CPU {bare_cpu:.3f} s (median of {RUNS}); "
        f"fastest {bare_min:.3f} s"
    )
    ratio = 0.0
    for tree in trees:
        app_s, app_cpu = _median(apps[tree])
        # the ratio of each run to the bare run just before it: less noise than the medians
        paired = statistics.median(a[0] / b[0] for a, b in zip(apps[tree], bare, strict=True))
        name = "kiosk welcome screen" if tree == REPO else f"compare tree {tree}"
        app_min = min(w for w, _ in apps[tree])
        print(
            f"{name}: {app_s:.3f} s, CPU {app_cpu:.3f} s (median of {RUNS}); "
            f"fastest {app_min:.3f} s"
        )
        # fastest/fastest: the least disturbed run of each (a busy machine only adds time)
        print(
            f"  ratio: {app_s / bare_s:.2f} (target <= {TARGET_RATIO}); "
            f"paired ratio {paired:.2f}; fastest/fastest {app_min / bare_min:.2f}; "
            f"CPU ratio {app_cpu / bare_cpu:.2f}"
        )
        if tree == REPO:
            ratio = app_s / bare_s
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
