"""The stand is not ready yet: show "out of service" instead of crash-looping.

On an unprovisioned stand, before the first master-data pull, or with a broken configuration, the
visit cannot be assembled (no address master, an unreadable trust folder, a bad printer entry...).
Exiting would make systemd restart the UI again and again and finally reboot the stand. Instead
the UI shows a calm, bilingual "please go to the counter" page with a small reason code for staff,
tells systemd it is up (READY=1) and keeps the watchdog fed, and re-checks every few seconds.
Once the check passes it exits with status 0 and systemd (``Restart=always``) starts the real UI.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from kiosk import sdnotify
from kiosk.errors import KioskError

log = logging.getLogger(__name__)

RECHECK_S = float(os.environ.get("KIOSK_NOT_READY_RECHECK_S", "10"))
#: What residents read (Japanese first, then English: the language picker is not available here).
MESSAGE_JA = "ただいま準備中です。\n窓口{counter}番へお越しください。"
MESSAGE_EN = "This kiosk is being prepared.\nPlease go to counter {counter}."


@dataclass(frozen=True, slots=True)
class NotReady:
    """Why the visit could not be assembled (a stable code for staff, never personal data)."""

    code: str
    detail: str = ""

    @classmethod
    def from_error(cls, err: BaseException) -> NotReady:
        """Classify an assembly failure."""
        code = err.code if isinstance(err, KioskError) else type(err).__name__
        return cls(code=code, detail=type(err).__name__)


def probe(check: Callable[[], None]) -> NotReady | None:
    """Run ``check``; None when it passes, else the reason it failed."""
    try:
        check()
    except Exception as err:
        return NotReady.from_error(err)
    return None


def run_not_ready(reason: NotReady, check: Callable[[], None], *, counter: str) -> int:
    """Show the out-of-service page until ``check`` passes, then return 0 (systemd restarts us)."""
    from kivy.app import App
    from kivy.clock import Clock
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.label import Label

    from kiosk.app import FONT_CJK, register_fonts

    log.warning("kiosk not ready (%s); showing out of service", reason.code)
    register_fonts()

    class NotReadyApp(App):  # type: ignore[misc]
        """One page, no input, no personal data."""

        def build(self) -> BoxLayout:
            root = BoxLayout(orientation="vertical", padding=48, spacing=24)
            root.add_widget(
                Label(
                    text=MESSAGE_JA.format(counter=counter),
                    font_size="40sp",
                    halign="center",
                    font_name=FONT_CJK,
                )
            )
            root.add_widget(
                Label(
                    text=MESSAGE_EN.format(counter=counter),
                    font_size="32sp",
                    halign="center",
                    font_name=FONT_CJK,
                )
            )
            self.reason = Label(
                text=f"[{reason.code}]",
                font_size="14sp",
                color=(0.5, 0.5, 0.5, 1),
                size_hint_y=0.1,
                font_name=FONT_CJK,
            )
            root.add_widget(self.reason)
            return root

        def on_start(self) -> None:
            sdnotify.notify(f"READY=1\nSTATUS=out of service: {reason.code}")
            interval = sdnotify.watchdog_interval_s()
            if interval is not None:
                Clock.schedule_interval(lambda _dt: sdnotify.watchdog(), interval)
            Clock.schedule_interval(self._recheck, RECHECK_S)

        def _recheck(self, _dt: float) -> None:
            still = probe(check)
            if still is None:
                log.info("kiosk ready now; restarting the UI")
                self.stop()
            else:
                self.reason.text = f"[{still.code}]"

    NotReadyApp().run()
    return 0
