"""Reading the card: a progress bar while the worker talks to the card."""

from __future__ import annotations

from kivy.animation import Animation
from kivy.metrics import dp
from kivy.uix.progressbar import ProgressBar

from kiosk.screens.base import KioskScreen


class ReadingScreen(KioskScreen):
    """Progress only."""

    def build_body(self) -> None:
        """An endless progress bar."""
        self.hint(self._("Please do not remove the card."))
        bar = ProgressBar(max=100, value=0, size_hint_y=None, height=dp(40))
        self.ids.body.add_widget(bar)
        anim = Animation(value=100, duration=1.5) + Animation(value=0, duration=0)
        anim.repeat = True
        anim.start(bar)
        self._bar = bar

    def on_leave(self, *_args: object) -> None:
        """Stop the animation."""
        if getattr(self, "_bar", None) is not None:
            Animation.cancel_all(self._bar)


SCREEN = ReadingScreen
