"""The standard 3-person 転居 played by touches: touches needed and resident RSS.

Touch target <= 20; RSS target <= 150 MB, with a bare Kivy window's RSS in the same run as the
baseline (ratio printed). The standard visit: three card holders (each enters their own PIN),
a house without 方書, the suggested 続柄 and "not sure" answers accepted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOUCH_TARGET = 20
RSS_TARGET_MB = 150.0

STANDARD = {
    "name": "standard_3_person_move_within",
    "steps": [
        {"tap": "start"}, {"tap": "proc_move_within"}, {"card": "yamada"}, {"pin": "1234"},
        {"tap": "data_ok"}, {"tap": "addr_新宿"}, {"tap": "addr_0020003"}, {"tap": "addr_5"},
        {"tap": "addr_4"}, {"tap": "text_none"}, {"card": "yamada_hanako"}, {"pin": "2580"},
        {"card": "yamada_ken"}, {"pin": "1357"}, {"card": "yamada"}, {"tap": "household_next"},
        {"tap": "related_next"}, {"tap": "print"}, {"expect": "done"}, {"remove_card": True},
        {"wait": 9},
    ],
    "end": "welcome",
}  # fmt: skip

BARE_RSS = """
import os, resource
os.environ.setdefault("KIVY_NO_ARGS", "1")
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.label import Label

class Bare(App):
    def load_kv(self, filename=None):
        return False  # no kv file (and no source file under python -c)

    def build(self):
        return Label(text="welcome")
    def on_start(self):
        Clock.schedule_once(lambda dt: self.stop(), 0.5)

Bare().run()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> int:
    """Play the visit, print touches and RSS, exit 1 when a target is missed."""
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_CONSOLELOG": "1"}
    work = Path(tempfile.mkdtemp(prefix="bench-visit-"))
    script = work / "standard.json"
    script.write_text(json.dumps(STANDARD, ensure_ascii=False), encoding="utf-8")
    summary = work / "summary.json"
    cmd = [sys.executable, "-m", "kiosk", "demo", "--reader", "sim", "--script", str(script)]
    cmd += ["--out", str(work / "demo"), "--summary", str(summary)]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    result = json.loads(summary.read_text()) if summary.exists() else {}
    if proc.returncode != 0 or result.get("failure"):
        print(proc.stdout[-2000:], proc.stderr[-2000:])
        return 2
    bare = subprocess.run(
        [sys.executable, "-c", BARE_RSS], env=env, capture_output=True, text=True, timeout=60
    )
    bare_mb = float(bare.stdout.strip().splitlines()[-1])
    touches, rss = int(result["touches"]), float(result["max_rss_mb"])
    print(f"touches for the standard 3-person 転居: {touches} (target <= {TOUCH_TARGET})")
    print(f"peak RSS during the visit: {rss:.0f} MB (target <= {RSS_TARGET_MB:.0f} MB)")
    print(f"bare Kivy window RSS: {bare_mb:.0f} MB; ratio {rss / bare_mb:.2f}")
    return 0 if touches <= TOUCH_TARGET and rss <= RSS_TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
