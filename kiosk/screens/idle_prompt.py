"""The idle prompt: "are you still there?" over any screen, in the theme's colours, with the
seconds left counting down and one large button to carry on."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Color, Rectangle
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

from kiosk.screens.tr import tr
from kiosk.screens.widgets import BigButton, KLabel, TitleLabel

#: how often the countdown redraws (a second-resolution number: twice a second is enough)
COUNTDOWN_TICK_S = 0.5
#: the dim veil over the screen behind the prompt
VEIL = (0, 0, 0, 0.75)
#: the "continue" button is this much taller than an ordinary one
CONTINUE_FACTOR = 1.5


class IdlePrompt(ModalView):
    """A modal view; ``continue_button`` is what a touch (or a scripted visit) presses.

    ``seconds_left`` says how long until the visit is cleared; the prompt shows it, counting down.
    Colours come from the app's theme (text ``fg`` on ``bg``, the button ``accent``), so the high
    contrast theme gives the prompt the same ≥ 7:1 as every screen.
    """

    def __init__(
        self,
        show: Callable[[str], str],
        on_continue: Callable[[], None],
        seconds_left: Callable[[], float] | None = None,
    ) -> None:
        app: Any = App.get_running_app()
        super().__init__(
            auto_dismiss=False,
            size_hint=(0.8, None),
            background="",
            background_color=app.bg,
            overlay_color=VEIL,
        )
        self._show = show
        self._seconds_left = seconds_left
        box = BoxLayout(orientation="vertical", padding=dp(32), spacing=dp(20), size_hint_y=None)
        box.bind(minimum_height=box.setter("height"))
        with box.canvas.before:  # a frame in the accent colour around the panel
            Color(*app.accent)
            frame = Rectangle()
            Color(*app.bg)
            inside = Rectangle()

        def place(*_a: Any) -> None:
            frame.pos, frame.size = box.pos, box.size
            inside.pos = (box.x + dp(6), box.y + dp(6))
            inside.size = (box.width - dp(12), box.height - dp(12))

        box.bind(pos=place, size=place)
        self.question = TitleLabel()
        self.warning = KLabel()
        self.countdown = TitleLabel(halign="center")
        self.continue_button = BigButton(kiosk_id="idle_continue")
        for widget in (self.question, self.warning, self.countdown):
            box.add_widget(widget)
        self.continue_button.font_size = app.title_px
        self.continue_button.height = app.touch_px * CONTINUE_FACTOR
        self.continue_button.bind(on_release=lambda *_a: on_continue())
        box.add_widget(self.continue_button)
        self.add_widget(box)
        box.bind(height=lambda _b, h: setattr(self, "height", h))
        self._tick(0)
        self._event = Clock.schedule_interval(self._tick, COUNTDOWN_TICK_S)
        # a switch to or from Nepali changes the face at once: the words follow at once too
        # (else the old language's words would show in the new face, as boxes, until the tick)
        app.bind(font_ui=self._retext)
        self._app = app
        self.bind(on_dismiss=self._stop_ticking)

    def seconds(self) -> int:
        """Whole seconds left, as shown (rounded up: "1" until the very end)."""
        if self._seconds_left is None:
            return 0
        return max(0, math.ceil(self._seconds_left()))

    def _retext(self, *_args: Any) -> None:
        self._tick(0)

    def _stop_ticking(self, *_args: Any) -> None:
        """On dismiss: no more ticks or re-texts (returns None: a true value would cancel it)."""
        self._event.cancel()
        self._app.unbind(font_ui=self._retext)

    def _tick(self, _dt: float) -> None:
        """Texts in the current language (it may switch under the prompt), the seconds left."""
        show = self._show
        self.question.text = show(tr._("Are you still there?"))
        self.warning.text = show(tr._("Without a touch, the screen will be cleared soon."))
        self.continue_button.text = show(tr._("Continue"))
        if self._seconds_left is None:
            self.countdown.text = ""
            return
        self.countdown.text = show(tr._("{seconds} seconds left").format(seconds=self.seconds()))
