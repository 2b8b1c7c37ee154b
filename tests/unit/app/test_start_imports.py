"""The app at its settled welcome screen has not loaded the stacks only a visit or staff needs.

Issue 14 (the app's own memory, start-up time): the real demo app runs in a fresh process
(offscreen SDL window, simulated reader), shows the welcome screen for a moment and collects the
stand's status as it does after every start (outbox counts, sender state, master versions); then
the modules it loaded are listed. Each name below is a stack made lazy: importing one of them on
the way to the welcome screen again fails this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

#: loaded by a visit or by staff, never for the welcome screen
LAZY = (
    "cryptography",  # the outbox's AEAD, the envelope's signature, the card's certificates
    "http.client",  # the technician checks of the staff diagnosis
    "urllib.request",
    "email.message",
    "kiosk.staff_diagnosis",
    "kiosk.tech.checks",
    "server_sync.sender",
    "server_sync.envelope",
    "kiosk.forms.codec",  # the filing's canonical bytes (signing, rendering)
    "kiosk.flows.rendering",
    "kiosk.forms.render.labels",  # the printed labels: the render child fills them
    "multiprocessing",
)

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    script = work / "welcome.json"
    script.write_text(json.dumps({"name": "welcome_only", "steps": [{"wait": 2}],
                                  "end": "welcome"}))
    code = main(["demo", "--reader", "sim", "--script", str(script), "--out", str(work / "out"),
                 "--summary", str(work / "summary.json")])
    (work / "modules.json").write_text(json.dumps({"code": code, "modules": sorted(sys.modules)}))
    """
)


def test_welcome_screen_loads_no_visit_or_staff_stack(tmp_path: Path) -> None:
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_CONSOLELOG": "1",
           "KIOSK_CATALOG_CACHE": str(tmp_path / "catalogs")}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((tmp_path / "modules.json").read_text())
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert result["code"] == 0 and not summary["failure"]
    assert summary["screens"][-1] == "welcome"
    modules = set(result["modules"])
    # the status was collected (the outbox was opened and read), so the check is not vacuous
    assert {"kiosk.staff_panel", "server_sync.outbox", "server_sync.sync_state"} <= modules
    loaded = sorted(name for name in LAZY if name in modules)
    assert loaded == [], f"loaded for the welcome screen: {loaded}"
