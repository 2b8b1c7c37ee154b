"""KioskApp: the thin Kivy shell around ``VisitFlow``: window, theme, screen switching, idle timer.

All blocking work runs in the flow's worker threads; their results reach this thread through
``clock_post``. Screens are created and their kv loaded on first show. Maintenance lives in
``kiosk.staff_panel``, fonts and colours in ``kiosk.theme``, the scripted-visit hooks in
``kiosk.app_probe``; screens see this class only through ``kiosk.screens.app_port.AppPort``.
"""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.base import ExceptionManager
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp, mm
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.layout import Layout
from kivy.uix.screenmanager import NoTransition, ScreenManager
from kivy.uix.widget import Widget

from kiosk import memory, sdnotify
from kiosk.app_faults import FaultGuard, fault_place
from kiosk.app_fonts import FontFaces
from kiosk.config import KioskConfig
from kiosk.device_report import DeviceReport
from kiosk.flows.assembly import Kiosk
from kiosk.flows.core import VisitFlow
from kiosk.flows.idle import IdleState, IdleTimer
from kiosk.flows.steps import EndReason, Step
from kiosk.hardware.hotplug import DeviceKind, DeviceState, DeviceStateTracker
from kiosk.i18n.catalog import Translator
from kiosk.i18n.languages import Script, language
from kiosk.theme import (
    DEVANAGARI_FILES,
    FONT_CJK,
    FONT_DEVANAGARI,
    LARGE_FACTOR,
    MIN_TOUCH_MM,
    TEXT_PX,
    THEMES,
    TITLE_PX,
    register_fonts,
)

if TYPE_CHECKING:
    from kiosk.screens.base import KioskScreen
    from kiosk.screens.idle_prompt import IdlePrompt
    from kiosk.staff_panel import StaffPanel

log = logging.getLogger(__name__)

# re-exported for the tools and tests that set up fonts the way the app does
__all__ = ["DEVANAGARI_FILES", "FONT_CJK", "SCREENS_DIR", "THEMES", "KioskApp", "clock_post",
           "register_fonts"]  # fmt: skip

SCREENS_DIR = Path(__file__).resolve().parent / "screens"
#: the only screen kept between visits; the others are built on first show and dropped at the end
RESIDENT_SCREENS = frozenset({"welcome"})
#: the shared widgets' rules come in two files: widgets.kv (what the welcome screen shows, loaded
#: at start) and this one (the error panel, the card guide), loaded with the first other screen
VISIT_WIDGETS_KV = "widgets_visit"
#: screens drawn with widgets.kv alone
SHARED_KV_ONLY = frozenset({"welcome"})
#: after a visit: its screens are collected at COLLECT_DELAY_S (their GL textures are deleted on
#: the next clock tick), the freed heap is handed back at RELEASE_DELAY_S, and once more after
#: Kivy's caches of the visit's images and file look-ups expire (60 s)
COLLECT_DELAY_S = 0.4
RELEASE_DELAY_S = 1.0
LATE_RELEASE_S = 65.0
IDLE_TICK_S = 0.5
#: no time pressure on PIN entry: the idle limits are this many times longer there
PIN_IDLE_FACTOR = 3.0
#: the steps that get the longer idle time (a PIN typed slowly, its last-try confirmation)
PIN_STEPS = frozenset({Step.PIN, Step.LAST_TRY, Step.SIGN_PIN, Step.SIGN_LAST_TRY})
STAFF_REFRESH_S = 30.0
#: the heartbeat's device-state file is rewritten at least this often (server_sync.stand_report)
DEVICE_REPORT_S = 60.0
#: after the welcome screen's first frame: the visit's parts are made (their modules imported)
#: this much later, so that neither the first frame nor a resident's first touch waits for them
WARM_UP_S = 0.5
#: how long the welcome screen says that the last visit ended on an unexpected error
FAULT_NOTICE_S = 90.0


def clock_post(fn: Callable[[], None]) -> None:
    """The UI-thread hop for worker results (Clock is thread-safe)."""
    Clock.schedule_once(lambda _dt: fn(), 0)


def lay_out_now(root: Widget) -> None:
    """Lay ``root``'s layouts out at once, parents before children, instead of on the next tick.

    Kivy lays a new widget tree out on the clock, but a label's text is measured and drawn on
    the clock too, often first: every label of a rebuilt screen was drawn once at Kivy's default
    width (a character per line: Nepali shaped letter by letter) and again at its own. Laid out
    first, each label is drawn once, at its width (issue 14: start-up, a touch's response).
    """
    for widget in root.walk(restrict=True):
        if isinstance(widget, Layout):
            widget.do_layout()


class KioskApp(App):
    """The resident-facing app."""

    font_ui = StringProperty(FONT_CJK)
    font_data = StringProperty(FONT_CJK)
    text_px = NumericProperty(TEXT_PX)
    title_px = NumericProperty(TITLE_PX)
    touch_px = NumericProperty(72)
    key_px = NumericProperty(60)
    bg = ListProperty(THEMES["normal"]["bg"])
    fg = ListProperty(THEMES["normal"]["fg"])
    accent = ListProperty(THEMES["normal"]["accent"])
    button_fg = ListProperty(THEMES["normal"]["button_fg"])
    secondary = ListProperty(THEMES["normal"]["secondary"])
    chip = ListProperty(THEMES["normal"]["chip"])
    warn = ListProperty(THEMES["normal"]["warn"])
    pressed = ListProperty(THEMES["normal"]["pressed"])
    large_text = BooleanProperty(False)
    high_contrast = BooleanProperty(False)
    link_ok = BooleanProperty(True)

    def __init__(
        self,
        kiosk: Kiosk,
        config: KioskConfig,
        *,
        tracker: DeviceStateTracker | None = None,
        on_started: Callable[[KioskApp], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.kiosk = kiosk
        self.cfg = config
        self.tracker = tracker
        self.on_started = on_started
        # the configured language, or the default staff saved in maintenance (applied by assemble)
        self.translator = Translator(kiosk.flow.settings.default_language)
        self.idle = IdleTimer(config.idle_warning_s, config.idle_reset_s)
        self.idle_view: IdlePrompt | None = None
        self.screen_changes: list[str] = []
        self._screens: dict[str, KioskScreen] = {}
        self._kv_loaded: set[str] = set()
        self._drop_screens = False
        self._devices_ok = True
        self._reader_ok = True
        self._ready_sent = False
        #: where each error the app survived happened (no messages; scripted runs fail on them)
        self.faults: list[str] = []
        self._fault_guard = FaultGuard(self._fault)
        self.fonts = FontFaces()
        # made on first use (the first status refresh runs after the first frame): its
        # diagnosis and technician checks are not imported before the welcome screen shows
        self._staff_panel: StaffPanel | None = None
        # its file (two fsyncs a write) is written after the first frame, not before
        self.device_report = DeviceReport(kiosk.sync.state_dir, held=True)
        kiosk.paper.on_printer_state = self.device_report.printer

    @property
    def flow(self) -> VisitFlow:
        """The visit core and its parts (what screens drive)."""
        return self.kiosk.flow

    @property
    def staff_panel(self) -> StaffPanel:
        """Maintenance status and actions."""
        if self._staff_panel is None:
            from kiosk.staff_panel import StaffPanel

            self._staff_panel = StaffPanel(
                self.kiosk, reader_ok=lambda: self._reader_ok, on_link=self._link_changed
            )
        return self._staff_panel

    def refresh_staff_status(self) -> None:
        """Collect the staff status again (timer, after start-up)."""
        self.staff_panel.refresh()

    def _link_changed(self, ok: bool) -> None:
        """The status check saw the central link (every STAFF_REFRESH_S, first after start-up)."""
        if ok == self.link_ok:
            return  # nothing the welcome screen shows changed: not rebuilt
        self.link_ok = ok
        if self.kiosk.flow.step is Step.WELCOME:
            self.kiosk.flow.refresh()  # the staff corner's mark

    # ------------------------------------------------------------------ build

    def build(self) -> ScreenManager:
        """Fonts, theme, kv for the shared widgets, the screen manager, timers and bindings."""
        from kiosk.screens.tr import tr

        register_fonts()
        tr.attach(self.translator)
        Builder.load_file(str(SCREENS_DIR / "widgets.kv"))
        self.touch_px = max(dp(72), mm(MIN_TOUCH_MM))
        self.large_text = self.cfg.large_text
        self.high_contrast = self.cfg.high_contrast
        self._apply_theme()
        # at the window's size from the start (its screens too): their first layout is their last
        self.manager = ScreenManager(transition=NoTransition(), size=Window.size)
        flow = self.kiosk.flow
        flow.staff.pin_ok = self.cfg.staff_pin_ok
        flow.on_change(self._show)
        flow.on_end(self._visit_ended)
        self.translator.on_switch(self._language_switched)
        self.font_ui = self.font_for(self.translator.language.code)
        self.kiosk.card.on_reader(self._reader_changed)
        if self.tracker is not None:
            self.tracker.subscribe(lambda state: clock_post(lambda: self._devices_changed(state)))
        Window.bind(on_touch_down=self._activity, on_key_down=self._activity)
        ExceptionManager.add_handler(self._fault_guard)
        Clock.schedule_interval(self._tick_idle, IDLE_TICK_S)
        interval = sdnotify.watchdog_interval_s()
        if interval:
            Clock.schedule_interval(lambda _dt: sdnotify.watchdog(), interval)
        Clock.schedule_interval(lambda _dt: self.refresh_staff_status(), STAFF_REFRESH_S)
        Clock.schedule_interval(self.device_report.flush, DEVICE_REPORT_S)
        self._show()
        return self.manager

    def on_start(self) -> None:
        """After the first frame: READY=1 and the optional start hook (scripted visits)."""
        Clock.schedule_once(self._started, 0)

    def _started(self, _dt: float) -> None:
        if not self._ready_sent:
            self._ready_sent = True
            sdnotify.ready()
        if self.on_started is not None:
            self.on_started(self)
        self.device_report.reader(self._reader_ok)
        Clock.schedule_once(lambda _dt: self.device_report.release(), 0)
        # staff status imports the outbox and HTTP stacks: after the first frame, not before
        Clock.schedule_once(lambda _dt: self.refresh_staff_status(), 0)
        # the welcome screen's font faces (open by now) stay open; a visit's are closed after it
        Clock.schedule_once(lambda _dt: self.fonts.remember_resident(), 0)
        Clock.schedule_once(lambda _dt: self.kiosk.flow.warm_up(), WARM_UP_S)
        Clock.schedule_once(lambda _dt: self._load_kv(VISIT_WIDGETS_KV), WARM_UP_S)

    def on_stop(self) -> None:
        """Stop the worker threads."""
        sdnotify.notify("STOPPING=1")
        ExceptionManager.remove_handler(self._fault_guard)
        self.kiosk.stop()

    # ------------------------------------------------------------------ screens

    def screen(self, name: str) -> KioskScreen:
        """The screen called ``name``, importing its module and kv on first use."""
        if name not in self._screens:
            module = importlib.import_module(f"kiosk.screens.{name}")
            if name not in SHARED_KV_ONLY:
                self._load_kv(VISIT_WIDGETS_KV)  # the error panel, the card guide
            self._load_kv(name)
            screen: KioskScreen = module.SCREEN(name=name, size=Window.size)
            self._screens[name] = screen
            self.manager.add_widget(screen)
        return self._screens[name]

    def _load_kv(self, name: str) -> None:
        """Load ``name``.kv once (kv rules stay loaded; screens are rebuilt)."""
        if name not in self._kv_loaded:
            Builder.load_file(str(SCREENS_DIR / f"{name}.kv"))
            self._kv_loaded.add(name)

    def _show(self) -> None:
        name = self.kiosk.flow.step.value
        screen = self.screen(name)
        if self.manager.current != name:
            self.manager.current = name
            self.screen_changes.append(name)
        if self._drop_screens:
            self._drop_screens = False
            self._release_screens(keep=name)
        screen.refresh()
        lay_out_now(screen)

    def _release_screens(self, *, keep: str) -> None:
        """Destroy the finished visit's screens (widgets, textures, texts); rebuilt on next show."""
        for name in [n for n in self._screens if n != keep and n not in RESIDENT_SCREENS]:
            screen = self._screens.pop(name)
            screen.wipe()
            self.manager.remove_widget(screen)
        # the dropped widgets are collected first; their GL textures are deleted on the clock
        # tick after that (Kivy's graphics context), and only then is the freed heap trimmed:
        # trimmed before, the driver's freed texture memory would stay with the process
        Clock.schedule_once(lambda _dt: self._collect_visit(), COLLECT_DELAY_S)
        Clock.schedule_once(lambda _dt: memory.release(), RELEASE_DELAY_S)
        Clock.schedule_once(lambda _dt: memory.release(), LATE_RELEASE_S)

    def _collect_visit(self) -> None:
        """Collect the dropped screens and close the font faces the visit opened."""
        self._forget_dropped_screen()
        gc.collect()
        self.fonts.close_visit_faces()

    def _forget_dropped_screen(self) -> None:
        """Let go of the screen the last transition left (the visit's last, already dropped).

        Kivy's transition keeps ``screen_out`` (and ``screen_in``) after it completes: the
        dropped screen, its widgets and textures would stay alive until the next visit's first
        change of screen. Both then name the screen on display (they may not be None).
        """
        transition, shown = self.manager.transition, self.manager.current_screen
        if transition.is_active or shown is None:
            return
        kept = set(self.manager.screens)
        for name in ("screen_out", "screen_in"):
            if getattr(transition, name) not in kept:
                setattr(transition, name, shown)

    @property
    def current_screen(self) -> KioskScreen | None:
        """The screen on display."""
        return self._screens.get(self.manager.current)

    def screens_built(self) -> list[KioskScreen]:
        """The screens alive now (privacy checks)."""
        return list(self._screens.values())

    # ------------------------------------------------------------------ visit end, idle

    def _fault(self, error: BaseException) -> None:
        """An error nothing handled (``FaultGuard``): the visit ends, wiped like any end, and
        the welcome screen says so for FAULT_NOTICE_S."""
        self.faults.append(fault_place(error))
        Clock.schedule_once(lambda _dt: self._fault_guard.forget(), 0)
        self._load_kv(VISIT_WIDGETS_KV)  # the notice's error panel (a fault may come before it)
        code, large, contrast = self.translator.language.code, self.large_text, self.high_contrast
        self.kiosk.flow.end_after_fault()  # (its end resets the language and look to the stand's)
        # the notice in the language and look the resident chose: they are still standing there
        self.translator.switch(code)
        self._set_look(self.font_for(code), large, contrast)
        self.kiosk.flow.refresh()
        Clock.schedule_once(lambda _dt: self._end_fault_notice(), FAULT_NOTICE_S)

    def _end_fault_notice(self) -> None:
        """The notice has been shown long enough: the welcome screen as the stand sets it."""
        flow = self.kiosk.flow
        if not flow.fault_notice:
            return  # a visit started meanwhile: its resident keeps their language and look
        self._back_to_stand()
        flow.clear_fault_notice()

    def _visit_ended(self, reason: EndReason) -> None:
        self._close_idle_view()
        for screen in self._screens.values():
            screen.wipe()
        self._drop_screens = True  # once the next screen shows (see ``_show``)
        self._back_to_stand()
        log.info("screens wiped after %s", reason.value)

    def _back_to_stand(self) -> None:
        """The stand's language and look: the next resident starts from them, not the last's."""
        self.translator.switch(self.kiosk.flow.settings.default_language)
        stand = (self.cfg.large_text, self.cfg.high_contrast)
        self._set_look(self.font_for(self.translator.language.code), *stand)

    def _activity(self, *_args: Any) -> bool:
        self.idle.touch()
        if self.idle_view is not None:
            Clock.schedule_once(lambda _dt: self._close_idle_view(), 0)
        return False

    def _tick_idle(self, _dt: float) -> None:
        flow = self.kiosk.flow
        # the card-removed pause runs its own countdown (no idle prompt over it)
        if not flow.active or flow.step in (Step.PRINTING, Step.CARD_REMOVED) or flow.busy:
            self.idle.touch()
            return
        factor = PIN_IDLE_FACTOR if flow.step in PIN_STEPS else 1.0
        idle_s = self.idle.idle_s()
        if idle_s >= self.cfg.idle_reset_s * factor:
            log.info("idle timeout")
            flow.reset(EndReason.IDLE)
        elif idle_s >= self.cfg.idle_warning_s * factor and self.idle_view is None:
            self._open_idle_view()

    def idle_state(self) -> IdleState:
        """The raw idle state (tests)."""
        return self.idle.state()

    def _open_idle_view(self) -> None:
        from kiosk.screens.idle_prompt import IdlePrompt

        step = self.kiosk.flow.step
        factor = PIN_IDLE_FACTOR if step in PIN_STEPS else 1.0
        self.idle_view = IdlePrompt(
            self.widget_text, self._close_idle_view, lambda: self.idle.remaining_s(factor)
        )
        self.idle_view.open(animation=False)
        if self.kiosk.voice is not None:
            from kiosk.flows.voice import IDLE_PROMPT

            self.kiosk.voice.announce(IDLE_PROMPT)

    def _close_idle_view(self) -> None:
        if self.idle_view is not None:
            view, self.idle_view = self.idle_view, None
            view.dismiss(animation=False)  # no fading veil: the screen is readable at once
            view.clear_widgets()

    # ------------------------------------------------------------------ language, themes

    @property
    def pin_time_limit_s(self) -> float:
        """Seconds without a touch before a PIN screen ends the visit (what last-try promises)."""
        return float(self.cfg.idle_reset_s * PIN_IDLE_FACTOR)

    @property
    def portrait(self) -> bool:
        """The panel stands upright (800×1280): screens use fewer columns and taller rows."""
        return bool(self.cfg.orientation == "portrait")

    def widget_text(self, text: str) -> str:
        """Markup for a widget in the current language (see ``kiosk.screens.markup``)."""
        from kiosk.screens.markup import widget_text

        return widget_text(text, devanagari=self.font_ui == FONT_DEVANAGARI, other_font=FONT_CJK)

    def font_for(self, code: str) -> str:
        """The UI font name for a language."""
        needs_deva = language(code).script is Script.DEVANAGARI
        if needs_deva and FONT_DEVANAGARI in LabelBase._fonts:
            return FONT_DEVANAGARI
        return FONT_CJK

    def set_language(self, code: str) -> None:
        """The resident picked a language."""
        self.translator.switch(code)

    def _language_switched(self) -> None:
        code = self.translator.language.code
        self._set_look(self.font_for(code))
        self.kiosk.flow.set_language(code)

    def toggle_large_text(self) -> None:
        """Large-text mode on/off."""
        self._set_look(large_text=not self.large_text)
        self.kiosk.flow.refresh()

    def toggle_high_contrast(self) -> None:
        """High-contrast mode on/off."""
        self._set_look(high_contrast=not self.high_contrast)
        self.kiosk.flow.refresh()

    def _set_look(
        self,
        font_ui: str | None = None,
        large_text: bool | None = None,
        high_contrast: bool | None = None,
    ) -> None:
        """Change the UI face and/or the theme (None: unchanged) in one guarded dispatch.

        Every screen's kv rules observe these app-wide properties: no collection mid-dispatch
        (see ``memory.no_collection``).
        """
        with memory.no_collection():
            if font_ui is not None:
                self.font_ui = font_ui
            theme = (
                self.large_text if large_text is None else large_text,
                self.high_contrast if high_contrast is None else high_contrast,
            )
            if theme != (self.large_text, self.high_contrast):
                self.large_text, self.high_contrast = theme
                self._apply_theme()

    def _apply_theme(self) -> None:
        scale = LARGE_FACTOR if self.large_text else 1.0
        self.text_px = dp(TEXT_PX) * scale
        self.title_px = dp(TITLE_PX) * scale
        self.touch_px = max(dp(72), mm(MIN_TOUCH_MM)) * scale
        self.key_px = max(dp(60), mm(MIN_TOUCH_MM)) * scale  # keyboard keys: still >= 15 mm
        for key, value in THEMES["contrast" if self.high_contrast else "normal"].items():
            setattr(self, key, value)

    # ------------------------------------------------------------------ devices

    def _reader_changed(self, ok: bool) -> None:
        self._reader_ok = ok
        self.device_report.reader(ok)
        self._update_service()

    def _devices_changed(self, state: DeviceState) -> None:
        self._devices_ok = state.in_service or not state.started
        self.device_report.printer_present(
            bool(state.present(DeviceKind.PRINTER)) or not state.started
        )
        self._update_service()

    def _update_service(self) -> None:
        self.kiosk.flow.set_in_service(self._devices_ok and self._reader_ok)


if TYPE_CHECKING:
    from kiosk.screens.app_port import AppPort, StaffPanelPort

    def _app_is_an_app_port(app: KioskApp) -> AppPort:
        """mypy checks here that the shell offers screens everything ``AppPort`` promises."""
        return app

    def _panel_is_a_port(panel: StaffPanel) -> StaffPanelPort:
        return panel
