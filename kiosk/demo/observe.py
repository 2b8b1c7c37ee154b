"""What a scripted visit observes on screen: widget walks, text overflow, touch targets out of
view, and the privacy check after a visit ended."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kivy.core.window import Window
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView

from kiosk import app_probe
from kiosk.demo.glyphs import MARKUP_TAG, missing_glyphs
from kiosk.screens.fit import LATIN_WORD

if TYPE_CHECKING:
    from kiosk.app import KioskApp
    from kiosk.screens.base import KioskScreen

#: touches left over from a label's size rounding are not overflow
OVERFLOW_SLACK_PX = 2
MIN_TARGET_MM = 15
#: a touch target cut by a few pixels (layout rounding) is still in view
VIEW_SLACK_PX = 4
#: no Latin glyph is wider than this many font sizes: shorter words need no measuring
WIDEST_GLYPH_EM = 1.0


def widgets(root: Any) -> Iterator[Any]:
    stack = [root]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(widget.children)


def overflowing(root: Any) -> list[str]:
    """Texts whose rendered size exceeds their widget, touch targets under 15 mm, and touch
    targets out of view (see ``out_of_view``)."""
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
        out += [f"word broken across lines: {word!r} in {widget.text[:40]!r}"
                for word in broken_words(widget)]  # fmt: skip
        out += [f"no glyph (a box): {missing} in {widget.text[:40]!r}"
                for missing in missing_glyphs(widget)]  # fmt: skip
    return out + out_of_view(root)


def broken_words(label: Label) -> list[str]:
    """Latin words the label's wrapping cut in two (``Ichigayayakuojim`` / ``achi``): a reader
    takes them for two words. Read from the lines Kivy laid out (any font, markup or shaping)."""
    width = label.text_size[0]
    if not width:
        return []
    text = MARKUP_TAG.sub("", label.text) if label.markup else label.text
    long_words = [
        word
        for word in dict.fromkeys(LATIN_WORD.findall(text))
        if len(word) * label.font_size * WIDEST_GLYPH_EM > width
    ]
    if not long_words:
        return []
    cached = getattr(label._label, "_cached_lines", None) or []
    lines = ["".join(str(word.text) for word in line.words) for line in cached]
    return [word for word in long_words if lines and not any(word in line for line in lines)]


def _viewport(widget: Any) -> tuple[tuple[float, float, float, float], Any]:
    """The window box ``widget`` can be seen in (its nearest ScrollView's, cut to the window),
    and that ScrollView (None when the widget is in no scrolling area)."""
    box = (0.0, 0.0, float(Window.width), float(Window.height))
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        if isinstance(parent, ScrollView):
            px, py = parent.to_window(parent.x, parent.y)
            view = (px, py, px + parent.width, py + parent.height)
            box = (max(box[0], view[0]), max(box[1], view[1]),
                   min(box[2], view[2]), min(box[3], view[3]))  # fmt: skip
            return box, parent
        parent = parent.parent
    return box, None


def _window_box(widget: Any) -> tuple[float, float, float, float]:
    x0, y0 = widget.to_window(widget.x, widget.y)
    x1, y1 = widget.to_window(widget.right, widget.top)
    return x0, y0, x1, y1


def _inside(
    inner: tuple[float, ...], outer: tuple[float, ...], slack: float = VIEW_SLACK_PX
) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)  # fmt: skip


def _shown(widget: Any) -> bool:
    """Drawn at all: neither it nor a parent is transparent or collapsed to nothing."""
    node = widget
    while node is not None:
        if node.opacity == 0:
            return False
        node = None if node.parent is node else node.parent
    return bool(widget.width > 0 and widget.height > 0)


def more_below_shown(root: Any) -> bool:
    """The screen shows the "more below" cue (its list goes on under the fold)."""
    from kiosk.screens.widgets import MoreBelow

    return any(isinstance(w, MoreBelow) and w.height > 0 and _shown(w) for w in widgets(root))


def _primary_action(widget: Any) -> bool:
    """The screen's main way on (a "primary" button on its own), not one choice in a list
    (a grid or row of buttons, where the chosen one is drawn "primary" too)."""
    from kivy.uix.gridlayout import GridLayout

    if getattr(widget, "keep_in_view", False):
        return True  # a key of the keyboard counts as much as the main way on
    if getattr(widget, "role", "") != "primary":
        return False
    parent = widget.parent
    in_choices = isinstance(parent, GridLayout) or (
        parent is not None and sum(isinstance(c, Button) for c in parent.children) > 1
        and getattr(parent, "orientation", "") == "horizontal"
    )  # fmt: skip
    return not in_choices


def out_of_view(root: Any) -> list[str]:
    """Touch targets the resident cannot see now: scrolled out of their area or off the window.

    Excused only below a list that says so: when the "more below" cue shows, a target further
    down the scrolling body (reachable by scrolling) may wait there, unless it is the primary
    action (see ``_primary_action``).
    """
    cue = more_below_shown(root)
    out = []
    for widget in widgets(root):
        if not isinstance(widget, Button) or widget.disabled or not _shown(widget):
            continue
        box, scroll = _viewport(widget)
        own = _window_box(widget)
        if _inside(own, box):
            continue
        if cue and scroll is not None and not _primary_action(widget) and scroll.children:
            content = _window_box(scroll.children[0])
            if _inside(own, content):
                continue
        name = getattr(widget, "kiosk_id", "") or widget.text[:20]
        out.append(f"touch target {name} out of view ({own[1]:.0f}..{own[3]:.0f} "
                   f"not within {box[1]:.0f}..{box[3]:.0f})")  # fmt: skip
    return out


def text_boxes(root: Any) -> list[dict[str, Any]]:
    """Every text wholly on screen now, with its box in window pixels (origin bottom left),
    trimmed to its scrolling area by a rounding pixel or two: what the contrast test measures
    in the screenshot."""
    out = []
    for widget in widgets(root):
        if not isinstance(widget, Label) or not widget.text.strip() or not _shown(widget):
            continue
        box, _scroll = _viewport(widget)
        own = _window_box(widget)
        if not _inside(own, box):
            continue  # partly scrolled away: its text may be outside the picture
        cut = (max(own[0], box[0]), max(own[1], box[1]),
               min(own[2], box[2]), min(own[3], box[3]))  # fmt: skip
        kind = "button" if getattr(widget, "kiosk_id", None) is not None else "label"
        name = getattr(widget, "kiosk_id", "") or widget.text[:30]
        out.append({"name": name, "kind": kind, "box": [round(v) for v in cut]})
    return out


def geometry(root: Any) -> tuple[int, ...]:
    """Every widget's window position and size, rounded: equal on two frames = layout done."""
    out: list[int] = []
    for widget in widgets(root):
        x, y = widget.to_window(widget.x, widget.y)
        out += [round(x), round(y), round(widget.width), round(widget.height)]
        if isinstance(widget, Label):  # a text re-rendered on a later frame moves nothing yet
            out += [round(v) for v in widget.texture_size]
    return tuple(out)


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
