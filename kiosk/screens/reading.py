"""Reading the card: a progress bar while the worker talks to the card."""

from __future__ import annotations

from kivy.metrics import dp

from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import BusyBar


class ReadingScreen(KioskScreen):
    """Progress only."""

    def build_body(self) -> None:
        """An endless progress bar."""
        self.hint(self._("Please do not remove the card."))
        bar = BusyBar(size_hint_y=None, height=dp(40))
        self.ids.body.add_widget(bar)
        bar.start()
        self._bar = bar

    def on_leave(self, *_args: object) -> None:
        """Stop the animation."""
        if getattr(self, "_bar", None) is not None:
            self._bar.stop()


SCREEN = ReadingScreen
