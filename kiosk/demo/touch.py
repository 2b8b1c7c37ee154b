"""A finger on the screen for scripted visits: one Kivy motion event, pressed and lifted.

It goes through the event loop's input dispatch like a touch from the panel, so widgets see
the same ``on_touch_down`` / ``on_touch_up`` as in the field. (Kivy's own test touch lives in
``kivy.tests``, which imports pytest: far too heavy for the demo process being measured.)
"""

from __future__ import annotations

import itertools
from typing import Any

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent

_IDS = itertools.count(1)


class ScriptedTouch(MotionEvent):  # type: ignore[misc]
    """A touch at window coordinates ``(x, y)`` in pixels."""

    def __init__(self, x: float, y: float) -> None:
        window = EventLoop.window
        position = {"sx": x / max(window.width - 1, 1), "sy": y / max(window.height - 1, 1)}
        super().__init__("scripted", next(_IDS), position, is_touch=True, type_id="touch")
        self.profile = ["pos"]

    def depack(self, args: Any) -> None:
        """Take the normalised position (0..1) from the event's arguments."""
        self.sx, self.sy = args["sx"], args["sy"]
        super().depack(args)

    def press(self) -> None:
        """Finger down."""
        EventLoop.post_dispatch_input("begin", self)

    def lift(self) -> None:
        """Finger up."""
        EventLoop.post_dispatch_input("end", self)
