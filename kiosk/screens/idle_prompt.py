"""The idle prompt: "are you still there?" over any screen, with one button to carry on."""

from __future__ import annotations

from collections.abc import Callable

from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

from kiosk.screens.tr import tr
from kiosk.screens.widgets import BigButton, KLabel


class IdlePrompt(ModalView):
    """A modal view; ``continue_button`` is what a touch (or a scripted visit) presses."""

    def __init__(self, show: Callable[[str], str], on_continue: Callable[[], None]) -> None:
        super().__init__(auto_dismiss=False, size_hint=(0.7, 0.5))
        box = BoxLayout(orientation="vertical", padding=dp(24), spacing=dp(16))
        box.add_widget(KLabel(text=show(tr._("Are you still there?"))))
        box.add_widget(
            KLabel(text=show(tr._("Without a touch, the screen will be cleared soon.")))
        )
        self.continue_button = BigButton(text=show(tr._("Continue")), kiosk_id="idle_continue")
        self.continue_button.bind(on_release=lambda *_a: on_continue())
        box.add_widget(self.continue_button)
        self.add_widget(box)
