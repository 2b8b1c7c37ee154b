"""Reusable widgets (styled in widgets.kv): labels, big buttons, the error panel, the card guide,
a busy bar, the "more below" cue.

Moving widgets step a few times a second instead of animating at the frame rate: every frame
redrawn costs CPU and, with software GL, tens of MB of driver churn per second of animation.
"""

from __future__ import annotations

import time
from typing import Any

from kivy.clock import Clock
from kivy.effects.scroll import ScrollEffect
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.progressbar import ProgressBar
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.screens.shaping import ShapingLabel

#: updates per second of the card guide and the busy bar
STEP_HZ = 6
#: dp above and below a wrapped button label (``same_height``)
WRAP_PADDING = 16
GUIDE_SLIDE_S, GUIDE_PAUSE_S = 1.2, 0.6
BUSY_CYCLE_S = 1.5


class KLabel(ShapingLabel):
    """Body text in the language's UI font, wrapping to the width."""


class DataLabel(KLabel):
    """Personal data (names, addresses): always the CJK font, whatever the language.

    Never drawn as ruby: what a resident's data holds is shown as it is.
    """

    ruby = False


class TitleLabel(KLabel):
    """A screen title."""


class BigButton(Button, ShapingLabel):
    """A touch target of at least 15 mm; ``role`` picks the colour."""

    role = StringProperty("primary")
    kiosk_id = StringProperty("")
    # plain colour backgrounds (background_color, set by the kv rule): Kivy's defaults name its
    # theme atlas, which the first button would load (its picture and textures kept, ~2 MB);
    # the only disabled button (the hidden help button) is transparent
    background_normal = StringProperty("")
    background_down = StringProperty("")
    background_disabled_normal = StringProperty("")
    background_disabled_down = StringProperty("")
    #: never allowed below the fold, even under a "more below" cue (keyboard keys)
    keep_in_view = BooleanProperty(False)

    def __init__(self, **kwargs: Any) -> None:
        self._growing = False
        super().__init__(**kwargs)
        # the height a layout or the kv rule gives (a floor); the button grows above it when its
        # label wraps — a long translation or large text is never cut off — and shrinks back
        # to it when the label unwraps (first layouts run at a narrow default width)
        self._floor = float(self.height)  # type: ignore[has-type]
        self.fbind("height", self._on_height)
        self.fbind("texture_size", self._fit_text)

    def _on_height(self, _widget: Widget, value: float) -> None:
        if not self._growing:
            self._floor = float(value)
            self._fit_text()

    def _fit_text(self, *_args: Any) -> None:
        label = self.texture_size[1]
        # a label that fits keeps the given height (keys sized to the room left stay so)
        need = self._floor if label <= self._floor else label + dp(WRAP_PADDING)
        if need != self.height:  # type: ignore[has-type]
            self._growing = True
            try:
                self.height = need
            finally:
                self._growing = False


class ErrorPanel(BoxLayout):
    """One error style for every screen: a warning-coloured frame and icon, what went wrong, and
    what to do next — never colour alone (the icon and the words carry it too).

    Usage (in a screen's ``build_body``; texts already translated, the screen shapes them)::

        self.error(self._("The PIN is not correct."), self._("Please enter it again."),
                   kiosk_id="pin_error")

    (``KioskScreen.error`` adds it to the body, or to ``parent=``). Directly::

        panel = ErrorPanel(problem=self.show(problem), todo=self.show(todo), kiosk_id="x_error")
        self.ids.body.add_widget(panel)

    ``problem`` is drawn bold, ``todo`` below it; either may be "" (then its line is dropped).
    Tests find it by ``kiosk_id`` in ``screen.widgets`` and read ``problem`` / ``todo``.
    """

    problem = StringProperty("")
    todo = StringProperty("")
    kiosk_id = StringProperty("error")


class MoreBelow(KLabel):
    """The cue under a list that goes on below the fold ("▼ more below", translated).

    Whether it shows is measured against the whole area (the scroll area plus the cue's own
    room), so it never depends on whether it showed before: a body that fits the whole area
    hides it, one that does not shows it.
    """

    scroll = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs: Any) -> None:
        self._trigger = Clock.create_trigger(self.update)
        self._held = True  # its text is not drawn yet (or changed while hidden): drawn on show
        super().__init__(**kwargs)
        self.height = 0

    def texture_update(self, *largs: Any) -> None:
        """Draw the text only while the cue shows: hidden (the body fits, as on the welcome
        screen) it is never seen, and drawing it would open a bold face for nothing."""
        if self.height == 0:
            self._held = True
            return
        self._held = False
        super().texture_update(*largs)

    def on_scroll(self, _cue: Any, scroll: Any) -> None:
        """Follow the scroll area's height and its body's."""
        if scroll is not None:
            scroll.fbind("viewport_size", self._trigger)
            scroll.fbind("height", self._trigger)
        self.fbind("texture_size", self._trigger)
        self._trigger()

    def update(self, *_args: Any) -> None:
        """Show (take a line's room) or hide (no room) for the body's height now."""
        scroll = self.scroll
        if scroll is None:
            return
        whole = scroll.height + self.height
        if scroll.viewport_size[1] <= whole + dp(2):
            self.height = 0
            return
        if self._held:  # shows now: its text is drawn first (its height is the room it takes)
            self._held = False
            super().texture_update()
        self.height = self.texture_size[1] + dp(8)


def same_height(buttons: list[Widget]) -> None:
    """Buttons as tall as the tallest wrapped label among them (never lower than they are):
    a long label in another language gets a second line instead of running out of its button."""
    least = max((b.height for b in buttons), default=0)

    def fit(*_a: object) -> None:
        height = max([least] + [b.texture_size[1] + dp(WRAP_PADDING) for b in buttons])
        for button in buttons:
            button.height = height

    for button in buttons:
        button.bind(texture_size=fit)


class _Stepper:
    """Calls ``update(phase)`` STEP_HZ times a second; phase runs 0..1 over ``cycle_s``."""

    def __init__(self, cycle_s: float) -> None:
        self.cycle_s = cycle_s
        self._event: Any = None
        self._t0 = 0.0

    def start(self, update: Any) -> None:
        self.stop()
        self._t0 = time.monotonic()
        update(0.0)
        self._event = Clock.schedule_interval(
            lambda _dt: update(((time.monotonic() - self._t0) % self.cycle_s) / self.cycle_s),
            1 / STEP_HZ,
        )

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
            self._event = None


class CardGuide(Widget):
    """A card sliding onto the reader, over and over."""

    offset = NumericProperty(0.0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stepper = _Stepper(GUIDE_SLIDE_S + GUIDE_PAUSE_S)

    def start(self) -> None:
        """Start the loop."""
        slide = GUIDE_SLIDE_S / (GUIDE_SLIDE_S + GUIDE_PAUSE_S)

        def update(phase: float) -> None:
            x = min(phase / slide, 1.0)
            self.offset = 1 - (1 - x) ** 2  # out_quad

        self._stepper.start(update)

    def stop(self) -> None:
        """Stop the loop."""
        self._stepper.stop()


class BusyBar(ProgressBar):
    """An endless progress bar for waits of unknown length."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max", 100)
        super().__init__(**kwargs)
        self._stepper = _Stepper(BUSY_CYCLE_S)

    def start(self) -> None:
        """Start filling, over and over."""
        self._stepper.start(lambda phase: setattr(self, "value", phase * self.max))

    def stop(self) -> None:
        """Stop."""
        self._stepper.stop()


class ClipScrollView(ScrollView):
    """A ScrollView that clips with the GL scissor test instead of the stencil buffer.

    Stencil clipping makes software GL (llvmpipe) build extra pipeline variants: ~40 MB of
    resident memory per process. Our scroll areas are axis-aligned, so a scissor box is enough
    (the kv rule ``<-ClipScrollView>`` in widgets.kv replaces the stencil rules).

    Its scroll bar stays as visible as it is drawn: Kivy's half-second fade to the inactive
    colour would hide the one hint that a screen goes on below (an elderly resident needs it),
    and every frame of the fade redraws the screen, which costs a software-GL process ~40 MB.
    """

    def __init__(self, **kwargs: Any) -> None:
        # no springy overscroll: a rebuilt body (a screen refreshed, the theme switched) sits
        # where it belongs at once instead of bouncing back over a second of redraws
        kwargs.setdefault("effect_cls", ScrollEffect)
        super().__init__(**kwargs)
        # a body that grew or shrank (another language, a rebuilt screen) is placed again even
        # when scroll_y did not change (Kivy only re-places it when scroll_y changes)
        self.fbind("viewport_size", self._replace)
        self.fbind("size", self._replace)

    def _replace(self, *_args: Any) -> None:
        Clock.schedule_once(lambda _dt: self.update_from_scroll(), 0)

    def _bind_inactive_bar_color(self, *_args: Any) -> None:
        """Kivy fades the bar here; we keep it (no animation, no redraw per frame)."""
        self._bar_color = self.bar_color

    def clip_box(self, *_deps: Any) -> tuple[int, int, int, int]:
        """The scissor box in window coordinates (``_deps`` only make kv re-evaluate it)."""
        x, y = self.to_window(*self.pos)
        return int(x), int(y), int(self.width), int(self.height)
