"""KioskScreen: the common frame (title, hint, scrolling body, footer) and thin helpers.

Screens never do I/O: they read the flow's state in ``refresh`` and call flow methods on touches.
Widgets a test or a scripted visit must touch get a stable ``kiosk_id`` (see ``find``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from kivy.animation import Animation
from kivy.app import App
from kivy.clock import Clock
from kivy.graphics import Color, Line
from kivy.metrics import dp
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.i18n.catalog import N_
from kiosk.i18n.ruby import plain_text
from kiosk.screens.markup import data_text
from kiosk.screens.tr import tr
from kiosk.screens.widgets import BigButton, BusyBar, CardGuide, DataLabel, ErrorPanel, KLabel
from kiosk.theme import FONT_DEVANAGARI, GAP_DP

if TYPE_CHECKING:
    from kiosk.flows.core import VisitFlow
    from kiosk.screens.app_port import AppPort


#: two-line buttons (a 続柄 and its gloss) are this much taller than one-line ones
TALL_FACTOR = 1.6
#: the step indicator ("ステップ 3 / 6" over ●●●○○○) beside the title: its width and text size
STEP_WIDTH_EM = 6.0  # times the body text size (wider with large text)
STEP_TEXT_SCALE = 0.8
STEP_DONE, STEP_TODO = "●", "○"
STEP_TEXT = N_("Step {n} / {total}")
#: the caret after typed text, and the frame around it (dp)
CARET = "▏"
TYPED_FRAME_DP = 2
TYPED_PAD_DP = 12
ROW_TEXT_PADDING = 16  # dp above and below a wrapped label in a row of buttons


class TypedLabel(DataLabel):
    """Typed text in a visible framed box, always ending in a caret (the keyboard's display)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.padding = (dp(TYPED_PAD_DP), dp(TYPED_PAD_DP))
        with self.canvas.before:
            self._frame_colour = Color(rgba=App.get_running_app().fg)
            self._frame = Line(width=dp(TYPED_FRAME_DP))
        self.bind(pos=self._draw, size=self._draw, text=self._caret)
        self._caret(self, self.text)

    def _draw(self, *_args: Any) -> None:
        inset = dp(TYPED_FRAME_DP)
        self._frame.rectangle = (
            self.x + inset, self.y + inset, self.width - 2 * inset, self.height - 2 * inset
        )  # fmt: skip

    def _caret(self, _label: Widget, text: str) -> None:
        if not text.endswith(CARET):
            self.text = text.rstrip() + CARET


def _stop_animations(root: Widget) -> None:
    """Cancel looping animations (card guide, progress) before their widgets are dropped."""
    for widget in root.walk(restrict=True):
        Animation.cancel_all(widget)
        if isinstance(widget, CardGuide | BusyBar):
            widget.stop()


class KioskScreen(Screen):
    """Base of every screen; subclasses implement ``build_body``."""

    stop_text = StringProperty("")
    default_title = StringProperty("")
    #: whether the "stop" button (ends the visit) shows on this screen
    show_stop = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widgets: dict[str, Widget] = {}
        self._rows: list[Widget] = []  # the rows of the current build (buttons fill them)
        self._step_label: KLabel | None = None
        self._row_heights: dict[Widget, float] = {}  # each row's own height (before fitting)

    # ------------------------------------------------------------------ access

    @property
    def app(self) -> AppPort:
        """The running KioskApp, through the typed face screens may use."""
        return cast("AppPort", App.get_running_app())

    @property
    def flow(self) -> VisitFlow:
        """The visit core and its parts."""
        return self.app.flow

    @staticmethod
    def _(text: str) -> str:
        """Translate (the current language)."""
        return tr._(text)

    # ------------------------------------------------------------------ lifecycle

    def refresh(self) -> None:
        """Rebuild the screen from the flow's state."""
        body, footer = self.ids.body, self.ids.footer
        _stop_animations(body)
        body.clear_widgets()
        footer.clear_widgets()
        self.widgets = {}
        self._rows = []
        self._row_heights = {}
        self.ids.hint.text = ""
        self.stop_text = self.show(self._("Stop")) if self.show_stop else ""
        self.title(self.default_title)
        if self.show_stop:
            self.widgets["stop"] = self.ids.help_button
        self.step_indicator()
        self.build_body()
        self._to_top()
        # once laid out too: a rebuilt body starts at its top, not mid-bounce
        Clock.schedule_once(self._to_top, 0)

    def _to_top(self, *_dt: float) -> None:
        """Stop the scroll effect (taps on keys leave it a velocity) and show the top."""
        scroll = self.ids.scroll
        for effect in (scroll.effect_x, scroll.effect_y):
            if effect is not None:
                effect.history = []
                effect.velocity = 0
                effect.overscroll = 0
        scroll.scroll_y = 1

    def build_body(self) -> None:
        """Fill title, hint, body and footer (subclasses)."""
        raise NotImplementedError

    def step_indicator(self) -> None:
        """The step indicator ("ステップ 3 / 6", a dot per step) beside a visit screen's title."""
        progress = self.flow.progress
        label = self._step_label
        if progress is None:
            if label is not None:
                label.text, label.width, label.opacity = "", 0, 0
            return
        if label is None:
            label = KLabel(size_hint_x=None, halign="center")
            label.font_size = self.app.text_px * STEP_TEXT_SCALE
            self.ids.title.parent.add_widget(label, index=1)  # between title and stop
            self._step_label = label
        words = self._(STEP_TEXT).format(n=progress.number, total=progress.total)
        dots = STEP_DONE * progress.number + STEP_TODO * (progress.total - progress.number)
        label.text = self.show(f"{words}\n{dots}")
        label.font_size = self.app.text_px * STEP_TEXT_SCALE
        label.width, label.opacity = self.app.text_px * STEP_WIDTH_EM, 1

    @property
    def step_text(self) -> str:
        """What the step indicator shows ('' when hidden): tests and scripted visits."""
        return self._step_label.text if self._step_label is not None else ""

    def wipe(self) -> None:
        """Forget every displayed text (the visit ended)."""
        _stop_animations(self.ids.body)
        self.ids.body.clear_widgets()
        self.ids.footer.clear_widgets()
        self.ids.title.text = ""
        self.ids.hint.text = ""
        if self._step_label is not None:
            self._step_label.text = ""
        self.widgets = {}
        self._rows = []
        self._row_heights = {}

    def on_stop(self) -> None:
        """The always-visible stop button."""
        self.flow.cancel()

    # ------------------------------------------------------------------ helpers

    def show(self, text: str) -> str:
        """``text`` as widget markup for the current language (escaped, fonts per script)."""
        return str(self.app.widget_text(text))

    def show_data(self, text: str) -> str:
        """``text`` as markup for a data label (CJK face; a Nepali UI's words in its own)."""
        nepali = self.app.font_ui == FONT_DEVANAGARI
        return data_text(text, devanagari_font=FONT_DEVANAGARI if nepali else None)

    def title(self, text: str) -> None:
        """Set the title (already translated)."""
        self.ids.title.text = self.show(text)

    def hint(self, text: str) -> None:
        """Set the line under the title."""
        self.ids.hint.text = self.show(text)

    def text(self, text: str, *, data: bool = False, parent: Widget | None = None) -> KLabel:
        """A paragraph in the body (``data=True`` for names/addresses: drawn as they are, so a
        translated word beside them loses its reading rather than show the marks as boxes)."""
        if data:
            label: KLabel = DataLabel(text=self.show_data(plain_text(text)))
        else:
            label = KLabel(text=self.show(text))
        (parent or self.ids.body).add_widget(label)
        return label

    def error(
        self, problem: str, todo: str, *, kiosk_id: str = "error", parent: Widget | None = None
    ) -> ErrorPanel:
        """The one error style (icon + frame + words): what went wrong, what to do (translated)."""
        panel = ErrorPanel(problem=self.show(problem), todo=self.show(todo), kiosk_id=kiosk_id)
        (parent or self.ids.body).add_widget(panel)
        self.widgets[kiosk_id] = panel
        return panel

    def typed_box(self, text: str, *, parent: Widget | None = None) -> TypedLabel:
        """Typed text (a keyboard's or keypad's display) in a framed box with a caret."""
        label = TypedLabel(text=self.show(text))
        (parent or self.ids.body).add_widget(label)
        return label

    def button(
        self,
        kiosk_id: str,
        text: str,
        action: Callable[[], None],
        *,
        role: str = "primary",
        parent: Widget | None = None,
        tall: bool = False,
        compact: bool = False,
        **kwargs: Any,
    ) -> BigButton:
        """A big button that runs ``action`` on release."""
        font_name = kwargs.pop("font_name", None)
        btn = BigButton(text=self.show(text), role=role, kiosk_id=kiosk_id, **kwargs)
        if font_name:
            btn.font_name = font_name  # after the kv rule, which would override a kwarg
        if tall:
            btn.height = self.app.touch_px * TALL_FACTOR
        if compact:
            btn.height = self.app.key_px
        elif parent is not None and parent in self._rows:
            btn.height = parent.height  # fill the row (taller on an upright panel)
            btn.bind(texture_size=partial(self._fit_row, parent))
        btn.bind(on_release=lambda *_a: action())
        (parent or self.ids.body).add_widget(btn)
        self.widgets[kiosk_id] = btn
        return btn

    def footer_button(
        self, kiosk_id: str, text: str, action: Callable[[], None], *, role: str = "primary"
    ) -> BigButton:
        """A button in the footer bar (the bar grows with a wrapped label; its buttons level)."""
        btn = self.button(kiosk_id, text, action, role=role, parent=self.ids.footer)
        btn.bind(texture_size=self._fit_footer)
        self._fit_footer()
        return btn

    def _fit_footer(self, *_args: Any) -> None:
        footer = self.ids.footer
        buttons = [c for c in footer.children if isinstance(c, BigButton)]
        least = self.app.touch_px
        wrapped = [b.texture_size[1] for b in buttons if b.texture_size[1] > least]
        need = max([least, *(h + dp(ROW_TEXT_PADDING) for h in wrapped)])
        footer.height = need
        for button in buttons:
            button.height = need

    def grid(
        self, cols: int, *, parent: Widget | None = None, portrait_cols: int | None = None
    ) -> GridLayout:
        """A grid of buttons in the body (``portrait_cols`` on an upright panel)."""
        if portrait_cols is not None and self.app.portrait:
            cols = portrait_cols
        grid = GridLayout(cols=cols, spacing=dp(GAP_DP), size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        (parent or self.ids.body).add_widget(grid)
        return grid

    def row(self, *, parent: Widget | None = None) -> BoxLayout:
        """A horizontal row as high as a button (room for two lines on an upright panel)."""
        height = self.app.touch_px * (TALL_FACTOR if self.app.portrait else 1.0)
        box = BoxLayout(spacing=dp(GAP_DP), size_hint_y=None, height=height)
        self._rows.append(box)
        self._row_heights[box] = height
        (parent or self.ids.body).add_widget(box)
        return box

    def _fit_row(self, row: BoxLayout, _btn: Widget, _texture_size: list[float]) -> None:
        """Fit a row of buttons to its most-wrapped label (at least a button's height); it
        shrinks again once a label laid out while its row was still narrow unwraps."""
        labels = [c.texture_size[1] for c in row.children if isinstance(c, BigButton)]
        needed = max(labels, default=0) + dp(ROW_TEXT_PADDING)
        height = max(self._row_heights.get(row, row.height), needed)
        if height != row.height:
            row.height = height
            for child in row.children:
                child.height = height

    def find(self, kiosk_id: str) -> Widget | None:
        """A touchable widget by its stable id."""
        return self.widgets.get(kiosk_id)
