"""Hooks for scripted visits and privacy checks: find a widget, list texts and live records.

Only the demo runner (``kiosk.demo``) and the tests use these; the production shell does not.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from kivy.core.window import Window
from kivy.uix.widget import Widget

if TYPE_CHECKING:
    from kiosk.app import KioskApp


def find(app: KioskApp, kiosk_id: str) -> Widget | None:
    """A touchable widget on the current screen (or the idle prompt) by its stable id."""
    if app.idle_view is not None and kiosk_id == "idle_continue":
        button: Widget = app.idle_view.continue_button
        return button
    screen = app.current_screen
    return screen.find(kiosk_id) if screen is not None else None


def all_texts(app: KioskApp) -> list[str]:
    """Every text any widget of the app holds (privacy checks)."""
    texts: list[str] = []
    screens = app.screens_built()
    roots: list[Widget] = [Window, *screens]
    if app.idle_view is not None:
        roots.append(app.idle_view)
    seen: set[int] = set()
    while roots:
        widget = roots.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        text = getattr(widget, "text", None)
        if isinstance(text, str) and text:
            texts.append(text)
        roots.extend(getattr(widget, "children", []))
    for screen in screens:
        for value in vars(screen).values():
            if isinstance(value, str) and value:
                texts.append(value)
    return texts


def live_personal_objects() -> list[str]:
    """Type names of visit records still alive anywhere in the process (privacy checks)."""
    from kiosk.flows.visit import PersonDraft
    from kiosk.hardware.card.my_number_card import ResidentRecord

    gc.collect()
    kinds = (PersonDraft, ResidentRecord)
    # type(), not isinstance(): a dead Kivy WeakProxy raises on ``__class__``
    return [kind.__name__ for obj in gc.get_objects() if (kind := type(obj)) in kinds]
