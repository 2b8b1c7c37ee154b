"""What a scripted visit observes on screen: widget walks, text overflow, touch targets out of
view, and the privacy check after a visit ended."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kivy.core.window import Window
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView

from kiosk import app_probe

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.screens.base import KioskScreen

#: touches left over from a label's size rounding are not overflow
OVERFLOW_SLACK_PX = 2
MIN_TARGET_MM = 15


def widgets(root: Any) -> Iterator[Any]:
    stack = [root]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(widget.children)


def overflowing(root: Any) -> list[str]:
    """Texts whose rendered size exceeds their widget, and touch targets under 15 mm."""
    from kivy.metrics import mm

    from kiosk.screens.widgets import BigButton

    out = []
    for widget in widgets(root):
        visible = isinstance(widget, BigButton) and widget.opacity > 0 and not widget.disabled
        if visible and min(widget.width, widget.height) < mm(MIN_TARGET_MM) - OVERFLOW_SLACK_PX:
            out.append(f"touch target {widget.kiosk_id} {widget.width:.0f}x{widget.height:.0f}")
        if not isinstance(widget, Label) or not widget.text or widget.opacity == 0:
            continue
        widget.texture_update()
        tw, th = widget.texture_size
        too_wide = tw > widget.width + OVERFLOW_SLACK_PX
        too_high = th > widget.height + OVERFLOW_SLACK_PX
        if too_wide or too_high:
            out.append(f"{widget.text[:40]!r} {tw}x{th} > {widget.width:.0f}x{widget.height:.0f}")
    return out


def texts(root: Any) -> list[str]:
    return [w.text for w in widgets(root) if isinstance(getattr(w, "text", None), str)]


def hidden_targets(screen: KioskScreen | None, prefix: str) -> list[str]:
    """Touch targets whose id starts with ``prefix`` that are not wholly on screen now."""
    if screen is None:
        return [prefix]
    hidden = []
    for kiosk_id, widget in screen.widgets.items():
        if not kiosk_id.startswith(prefix):
            continue
        x0, y0 = widget.to_window(widget.x, widget.y)
        x1, y1 = widget.to_window(widget.right, widget.top)
        box = (0.0, 0.0, float(Window.width), float(Window.height))
        parent = widget.parent
        while parent is not None and parent is not parent.parent:
            if isinstance(parent, ScrollView):
                px, py = parent.to_window(parent.x, parent.y)
                box = (px, py, px + parent.width, py + parent.height)
                break
            parent = parent.parent
        if x0 < box[0] - 1 or y0 < box[1] - 1 or x1 > box[2] + 1 or y1 > box[3] + 1:
            hidden.append(kiosk_id)
    return sorted(hidden)


def privacy_problem(app: KioskApp, names_seen: set[str]) -> str:
    """What personal data is still held or shown after a visit ended ("" when none)."""
    flow = app.flow
    leftovers = flow.personal_strings()
    held = (flow.review.state.filing, flow.printing.state.filing, flow.printing.state.documents)
    if leftovers or any(x is not None for x in held) or flow.visit.pin:
        return "the visit still holds personal data"
    alive = app_probe.live_personal_objects()
    if alive:
        return f"visit records still alive: {sorted(set(alive))}"
    shown = app_probe.all_texts(app)
    for name in names_seen:
        for part in name.replace("\u3000", " ").split():
            if any(part in text for text in shown):
                return "a name is still on a widget"
    return ""
