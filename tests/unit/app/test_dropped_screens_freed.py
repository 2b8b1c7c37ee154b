"""A visit's screens are freed at its end: none stays alive behind the welcome screen, and
nothing of the visit loaded Kivy's theme atlas (its picture and textures stay for the process).

The app drops a finished visit's screens (widgets, textures, texts) and collects them. Kivy's
screen transition still named the last one (``screen_out``) after it completed, which kept that
screen — the visit's address screen after an idle reset, its done screen after a normal end —
alive until the next visit changed screens. The real demo app plays the idle-reset visit in a
fresh process; when the runner takes its steady memory reading (after the app's release), the
screens still alive in the process are listed.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from tests.fixtures.kivy import run_offscreen

REPO = Path(__file__).resolve().parents[3]
PROBE = textwrap.dedent(
    """
    import gc, json, sys
    from pathlib import Path
    from kivy.cache import Cache
    from kiosk.demo.script import ScriptRunner
    from kiosk.screens.base import KioskScreen
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    seen = {}
    measure = ScriptRunner._measure_steady

    def _measure_steady(self, dt):
        gc.collect()
        seen["alive"] = sorted(
            o.name for o in gc.get_objects() if issubclass(type(o), KioskScreen))
        seen["kept"] = sorted(self.app.manager.screen_names)
        seen["reading_shown"] = "reading" in self.app.screen_changes
        seen["atlas"] = Cache.get("kv.atlas", "data/images/defaulttheme") is not None
        measure(self, dt)

    ScriptRunner._measure_steady = _measure_steady
    code = main(["demo", "--reader", "sim", "--no-intake", "--out", str(work / "out"),
                 "--script", sys.argv[2], "--summary", str(work / "summary.json")])
    (work / "seen.json").write_text(json.dumps({"code": code, **seen}))
    """
)


def test_no_screen_of_the_visit_outlives_its_end(tmp_path: Path) -> None:
    script = REPO / "examples" / "visits" / "idle_reset.json"
    run_offscreen(
        PROBE,
        str(tmp_path),
        str(script),
        env={"KIOSK_CATALOG_CACHE": str(tmp_path / "catalogs")},
    )
    result: dict[str, Any] = json.loads((tmp_path / "seen.json").read_text())
    summary: dict[str, Any] = json.loads((tmp_path / "summary.json").read_text())
    assert result["code"] == 0, summary.get("failure")
    assert "address" in summary["screens"]  # the visit got past the welcome screen
    assert result["kept"] == ["welcome"]
    assert result["alive"] == ["welcome"]
    # buttons and the reading screen's busy bar draw in the theme's flat colours
    assert result["reading_shown"]
    assert not result["atlas"]
