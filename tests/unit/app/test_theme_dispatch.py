"""App-wide property changes reach every screen with the cyclic collector held off.

Every screen's kv rules observe the app's theme colours, sizes and UI face. A collection in the
middle of such a dispatch can free a dropped screen's widget after its handler was picked; Kivy
then runs that handler on a dead weak proxy and the app ends with a ``ReferenceError`` (seen
twice in the large-text upright UI sweep, at a visit's end). The real demo app runs in a fresh
process; observers bound next to the kv rules record whether automatic collection was on while
each change was being dispatched: on a theme switch, a language with another face, and a
visit's end that puts the stand's settings back.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from tests.fixtures.kivy import run_offscreen

PROBE = textwrap.dedent(
    """
    import gc, json, sys
    from pathlib import Path
    from kivy.clock import Clock
    from kiosk.app import KioskApp
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    seen = {}
    started = KioskApp._started

    def _started(self, dt):  # the name Kivy looks the bound method up by
        started(self, dt)
        for name in ("button_fg", "bg", "text_px", "touch_px", "font_ui", "high_contrast"):
            self.fbind(name, lambda *_a, name=name: seen.setdefault(name, []).append(
                gc.isenabled()))

        def steps(_dt):
            self.toggle_large_text()
            self.toggle_high_contrast()  # a resident's theme switch
            self.set_language("ne")  # another UI face
            self.kiosk.flow.cancel()  # the visit ends: the stand's settings come back
            seen["enabled_after"] = gc.isenabled()
            self.stop()

        Clock.schedule_once(steps, 0.3)

    KioskApp._started = _started
    code = main(["demo", "--reader", "sim", "--no-intake", "--out", str(work / "out")])
    (work / "seen.json").write_text(json.dumps({"code": code, "seen": seen}))
    """
)


def test_theme_face_and_visit_end_changes_dispatch_without_a_collection(tmp_path: Path) -> None:
    run_offscreen(PROBE, str(tmp_path), env={"KIOSK_CATALOG_CACHE": str(tmp_path / "catalogs")})
    result: dict[str, Any] = json.loads((tmp_path / "seen.json").read_text())
    assert result["code"] == 0
    seen = result["seen"]
    # each change was dispatched (twice for the theme: switched on, then back at the visit's end)
    for name in ("button_fg", "bg", "text_px", "touch_px", "high_contrast"):
        assert len(seen.get(name, [])) >= 2, (name, seen)
    assert seen.get("font_ui"), seen
    # ... and never with automatic collection on; it is on again afterwards
    during = {name: values for name, values in seen.items() if name != "enabled_after"}
    assert not any(v for values in during.values() for v in values), during
    assert seen["enabled_after"] is True
