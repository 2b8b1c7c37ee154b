"""Reusable widgets (styled in widgets.kv): labels, big buttons, the animated card guide."""

from __future__ import annotations

from kivy.animation import Animation
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.widget import Widget


class KLabel(Label):
    """Body text in the language's UI font, wrapping to the width."""


class DataLabel(KLabel):
    """Personal data (names, addresses): always the CJK font, whatever the language."""


class TitleLabel(KLabel):
    """A screen title."""


class BigButton(Button):
    """A touch target of at least 15 mm; ``role`` picks the colour."""

    role = StringProperty("primary")
    kiosk_id = StringProperty("")


class CardGuide(Widget):
    """A card sliding onto the reader, over and over."""

    offset = NumericProperty(0.0)

    def start(self) -> None:
        """Start the loop."""
        Animation.cancel_all(self)
        self.offset = 0.0
        anim = Animation(offset=1.0, duration=1.2, t="out_quad") + Animation(
            offset=1.0, duration=0.6
        )
        anim += Animation(offset=0.0, duration=0.01)
        anim.repeat = True
        anim.start(self)

    def stop(self) -> None:
        """Stop the loop."""
        Animation.cancel_all(self)
