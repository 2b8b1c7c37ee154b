"""The staff status check rebuilds the welcome screen only when what it shows changed.

Issue 14 (start-up): the first status check (outbox counts, sender state, master versions, the
printer's status) arrives ~0.1-0.2 s after the first frame; the welcome screen shows only the link
of all that (the staff corner's faint mark when the central link is down). The real demo app runs
in a fresh process (offscreen SDL window, simulated reader); the status checks are the app's own,
reading the real outbox. "Rebuilt" is observed as the welcome screen's staff-corner widget being a
new object (a rebuild makes every widget anew).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from tests.fixtures.kivy import run_offscreen

PROBE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from kivy.clock import Clock
    from kiosk.app import KioskApp
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    report = {}
    started = KioskApp._started

    def corner(app):
        return app.screen("welcome").widgets["staff_corner"]

    def wait_for(app, done, then, limit_s=20.0):
        deadline = time.monotonic() + limit_s
        def poll(_dt):
            if done():
                then()
            elif time.monotonic() > deadline:
                report["timeout"] = then.__name__
                app.stop()
            else:
                Clock.schedule_once(poll, 0.05)
        Clock.schedule_once(poll, 0.05)

    def _started(self, dt):  # the name Kivy looks the bound method up by
        started(self, dt)
        first = corner(self)
        report["first_opacity"] = first.opacity

        def after_first_check():
            report["rebuilt_by_first_check"] = corner(self) is not first
            report["link_ok_after_first_check"] = self.link_ok
            # the sender failed to reach the intake: the state it records in the outbox
            from server_sync.devicekey import load_or_create_outbox_key
            from server_sync.outbox import Outbox
            from server_sync.sync_state import STATE_LAST_ERROR, STATE_LAST_ERROR_AT
            sync = self.kiosk.sync
            key = load_or_create_outbox_key(sync.outbox_key_path)
            with Outbox.open(sync.outbox_path, key) as box:
                box.set_state(STATE_LAST_ERROR_AT, "2099-01-01T00:00:00+00:00")
                box.set_state(STATE_LAST_ERROR, "intake_unreachable")
            before = corner(self)
            self.refresh_staff_status()

            def after_link_down():
                now = corner(self)
                report["rebuilt_when_link_went_down"] = now is not before
                report["opacity_when_link_down"] = now.opacity
                last = panel.status
                self.refresh_staff_status()  # the same status once more: nothing changed

                def after_same_status():
                    report["rebuilt_by_unchanged_check"] = corner(self) is not now
                    self.stop()

                wait_for(self, lambda: panel.status is not last, after_same_status)

            wait_for(self, lambda: not self.link_ok, after_link_down)

        panel = self.staff_panel
        # the first check: its status and the printer's status have both come back
        wait_for(self, lambda: panel.status is not None and panel.printer_text != "-",
                 after_first_check)

    KioskApp._started = _started
    code = main(["demo", "--reader", "sim", "--no-intake", "--out", str(work / "out")])
    report["code"] = code
    (work / "report.json").write_text(json.dumps(report))
    """
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the probe saw in the running demo app."""
    work = tmp_path_factory.mktemp("status-rebuild")
    run_offscreen(PROBE, str(work), env={"KIOSK_CATALOG_CACHE": str(work / "catalogs")})
    result: dict[str, Any] = json.loads((work / "report.json").read_text())
    assert "timeout" not in result, result
    assert result["code"] == 0
    return result


def test_status_checks_rebuild_the_welcome_screen_only_when_the_link_changes(
    report: dict[str, Any],
) -> None:
    # the first check after start-up: no contact recorded yet, the link is not down
    assert report["first_opacity"] == 0.0 and report["link_ok_after_first_check"] is True
    assert report["rebuilt_by_first_check"] is False, "welcome rebuilt with nothing new to show"
    # the link went down: the corner shows its faint mark, on a rebuilt screen
    assert report["rebuilt_when_link_went_down"] is True
    assert report["opacity_when_link_down"] == 0.35
    # the same status again: not rebuilt
    assert report["rebuilt_by_unchanged_check"] is False
