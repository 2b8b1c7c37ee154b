"""The cyclic collector rests while the app starts and runs again once it shows (issue 14).

The real demo app runs in a fresh process (SDL's offscreen window, simulated reader); the child
records every collection the interpreter makes inside ``main`` (``gc.callbacks``) and whether
the welcome screen was up ("ready" on stdout) when it happened.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from tests.fixtures.kivy import run_offscreen

#: the objects loaded before the window (Kivy's event loop, kv language and graphics, the app's
#: settings) that Kivy's own full collection at the window's GL context must not walk again
SET_ASIDE_AT_LEAST = 10_000

RECORD = textwrap.dedent(
    """
    import gc, json, sys
    from pathlib import Path
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    mode = sys.argv[2]
    shown = {"ready": False}
    out = sys.stdout

    class Watch:
        def write(self, text):
            if "ready" in text.split():
                shown["ready"] = True
            return out.write(text)

        def flush(self):
            out.flush()

    sys.stdout = Watch()
    seen = []

    def record(phase, info):
        if phase == "start":
            seen.append({"generation": info["generation"], "ready": shown["ready"],
                         "set_aside": gc.get_freeze_count()})

    args = ["demo", "--reader", "sim", "--out", str(work / "out")]
    if mode == "ready":
        args += ["--no-intake", "--exit-when-ready"]
    else:  # the welcome screen for two seconds (the warm-up after the first frame allocates)
        script = work / "welcome.json"
        script.write_text(json.dumps({"name": "welcome_only", "steps": [{"wait": 2}],
                                      "end": "welcome"}))
        args += ["--script", str(script), "--summary", str(work / "summary.json")]
    gc.callbacks.append(record)
    code = main(args)
    gc.callbacks.remove(record)
    sys.stdout = out
    (work / "gc.json").write_text(json.dumps({
        "code": code, "collections": seen, "enabled": gc.isenabled(),
        "set_aside": gc.get_freeze_count()}))
    """
)


def _run(work: Path, mode: str) -> dict[str, Any]:
    work.mkdir()
    run_offscreen(RECORD, str(work), mode)
    result: dict[str, Any] = json.loads((work / "gc.json").read_text())
    assert result["code"] == 0
    return result


def test_no_collection_walks_the_start_up_objects_before_the_first_frame(tmp_path: Path) -> None:
    result = _run(tmp_path / "ready", "ready")
    before = [c for c in result["collections"] if not c["ready"]]
    # without the pause: ~90 young and ~8 middle-generation collections while modules load
    young = [c for c in before if c["generation"] < 2]
    assert young == [], f"automatic collections before the first frame: {len(young)}"
    # Kivy's own full collection (making the GL context) ran, but skipped what was loaded before
    full = [c for c in before if c["generation"] == 2]
    assert full, "Kivy's full collection at the window was not seen: the check is vacuous"
    assert all(c["set_aside"] >= SET_ASIDE_AT_LEAST for c in full), full
    # the collector is back when main returns, with nothing left set aside
    assert result["enabled"] is True
    assert result["set_aside"] == 0


def test_the_app_resumes_the_collector_once_the_welcome_screen_shows(tmp_path: Path) -> None:
    result = _run(tmp_path / "welcome", "welcome")
    summary = json.loads((tmp_path / "welcome" / "summary.json").read_text())
    assert not summary["failure"] and summary["screens"][-1] == "welcome"
    # recorded only until main returned: these ran while the app showed the welcome screen, so
    # the app (not main's way out) turned the collector back on
    young = [c for c in result["collections"] if c["generation"] == 0]
    assert young, "no automatic collection while the app ran: the collector stayed paused"
    assert all(c["set_aside"] == 0 for c in young), "start-up objects still set aside"
    assert result["enabled"] is True
