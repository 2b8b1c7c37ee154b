"""KioskApp: the thin Kivy shell around ``VisitFlow`` (screens, idle timer, themes, fonts).

All blocking work runs in the flow's worker threads; their results reach this thread through
``clock_post``. Screens are created and their kv loaded on first show.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.text import LabelBase
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.metrics import dp, mm
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import NoTransition, ScreenManager
from kivy.uix.widget import Widget

from kiosk import memory, sdnotify
from kiosk.config import KioskConfig
from kiosk.flows.assembly import Kiosk
from kiosk.flows.idle import IdleState, IdleTimer
from kiosk.flows.staff import LinkState, StaffStatus, collect
from kiosk.flows.steps import EndReason, Step
from kiosk.hardware.hotplug import DeviceState, DeviceStateTracker
from kiosk.i18n.catalog import Translator
from kiosk.i18n.languages import Script, language

log = logging.getLogger(__name__)

SCREENS_DIR = Path(__file__).resolve().parent / "screens"
FONT_CJK = "KioskCJK"
FONT_DEVANAGARI = "KioskDevanagari"
DEVANAGARI_FILES = (
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf",
)
#: Noto Sans CJK (fonts-noto-cjk): the same files as ``kiosk.forms.fonts`` resolves, found here
#: without importing the forms' font tools (fontTools costs start-up time the UI does not need)
CJK_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/noto-cjk")
CJK_REGULAR, CJK_BOLD = "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"
#: the only screen kept between visits; the others are built on first show and dropped at the end
RESIDENT_SCREENS = frozenset({"welcome"})
RELEASE_DELAY_S = 1.0
IDLE_TICK_S = 0.5
#: no time pressure on PIN entry: the idle limits are this many times longer there
PIN_IDLE_FACTOR = 3.0
STAFF_REFRESH_S = 30.0
TEXT_PX, TITLE_PX = 26, 36
LARGE_FACTOR = 1.3
MIN_TOUCH_MM = 15

THEMES: dict[str, dict[str, tuple[float, float, float, float]]] = {
    "normal": {
        "bg": (0.97, 0.97, 0.95, 1), "fg": (0.08, 0.09, 0.12, 1),
        "accent": (0.02, 0.32, 0.66, 1), "button_fg": (1, 1, 1, 1),
        "secondary": (0.86, 0.87, 0.89, 1), "chip": (0.80, 0.87, 0.96, 1),
        "warn": (0.72, 0.18, 0.10, 1), "pressed": (0.45, 0.55, 0.70, 1),
    },
    "contrast": {
        "bg": (0, 0, 0, 1), "fg": (1, 1, 1, 1),
        "accent": (1, 0.85, 0, 1), "button_fg": (0, 0, 0, 1),
        "secondary": (0.18, 0.18, 0.18, 1), "chip": (0.12, 0.22, 0.40, 1),
        "warn": (1, 0.45, 0.35, 1), "pressed": (0.5, 0.5, 0.5, 1),
    },
}  # fmt: skip


def clock_post(fn: Callable[[], None]) -> None:
    """The UI-thread hop for worker results (Clock is thread-safe)."""
    Clock.schedule_once(lambda _dt: fn(), 0)


def cjk_font_files() -> tuple[str, str]:
    """Regular and bold Noto Sans CJK collections (face 0 is JP)."""
    for folder in CJK_DIRS:
        regular, bold = Path(folder, CJK_REGULAR), Path(folder, CJK_BOLD)
        if regular.exists():
            return str(regular), str(bold if bold.exists() else regular)
    raise FileNotFoundError(f"{CJK_REGULAR} (install fonts-noto-cjk)")


def register_fonts() -> None:
    """Noto Sans CJK JP for everything; Noto Sans Devanagari for Nepali UI text."""
    regular, bold = cjk_font_files()
    LabelBase.register(FONT_CJK, fn_regular=regular, fn_bold=bold)
    if all(Path(p).exists() for p in DEVANAGARI_FILES):
        LabelBase.register(
            FONT_DEVANAGARI, fn_regular=DEVANAGARI_FILES[0], fn_bold=DEVANAGARI_FILES[1]
        )
    else:
        log.warning("fonts-noto-core missing: Nepali falls back to the CJK font")


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
        self.idle_view: ModalView | None = None
        self.staff_status: StaffStatus | None = None
        self.printer_text = "-"
        self.reader_text = "-"
        self.test_result = ""
        self.screen_changes: list[str] = []
        self._screens: dict[str, Any] = {}
        self._kv_loaded: set[str] = set()
        self._drop_screens = False
        self._devices_ok = True
        self._reader_ok = True
        self._ready_sent = False

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
        self.manager = ScreenManager(transition=NoTransition())
        flow = self.kiosk.flow
        flow.staff_pin_ok = self.cfg.staff_pin_ok
        flow.on_change(self._show)
        flow.on_end(self._visit_ended)
        self.translator.on_switch(self._language_switched)
        self.font_ui = self.font_for(self.translator.language.code)
        self.kiosk.card.on_reader(self._reader_changed)
        if self.tracker is not None:
            self.tracker.subscribe(lambda state: clock_post(lambda: self._devices_changed(state)))
        Window.bind(on_touch_down=self._activity, on_key_down=self._activity)
        Clock.schedule_interval(self._tick_idle, IDLE_TICK_S)
        interval = sdnotify.watchdog_interval_s()
        if interval:
            Clock.schedule_interval(lambda _dt: sdnotify.watchdog(), interval)
        Clock.schedule_interval(lambda _dt: self.refresh_staff_status(), STAFF_REFRESH_S)
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
        # staff status imports the outbox and HTTP stacks: after the first frame, not before
        Clock.schedule_once(lambda _dt: self.refresh_staff_status(), 0)

    def on_stop(self) -> None:
        """Stop the worker threads."""
        sdnotify.notify("STOPPING=1")
        self.kiosk.stop()

    # ------------------------------------------------------------------ screens

    def screen(self, name: str) -> Any:
        """The screen called ``name``, importing its module and kv on first use."""
        if name not in self._screens:
            module = importlib.import_module(f"kiosk.screens.{name}")
            if name not in self._kv_loaded:  # kv rules stay loaded; screens are rebuilt
                Builder.load_file(str(SCREENS_DIR / f"{name}.kv"))
                self._kv_loaded.add(name)
            screen = module.SCREEN(name=name)
            self._screens[name] = screen
            self.manager.add_widget(screen)
        return self._screens[name]

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

    def _release_screens(self, *, keep: str) -> None:
        """Destroy the finished visit's screens (widgets, textures, texts); rebuilt on next show."""
        for name in [n for n in self._screens if n != keep and n not in RESIDENT_SCREENS]:
            screen = self._screens.pop(name)
            screen.wipe()
            self.manager.remove_widget(screen)
        # GL objects of dropped widgets are freed on a later frame: trim after that
        Clock.schedule_once(lambda _dt: memory.release(), RELEASE_DELAY_S)

    def live_personal_objects(self) -> list[str]:
        """Type names of visit records still alive anywhere in the process (privacy checks)."""
        import gc

        from kiosk.flows.visit import PersonDraft
        from kiosk.hardware.card.my_number_card import ResidentRecord

        gc.collect()
        kinds = (PersonDraft, ResidentRecord)
        # type(), not isinstance(): a dead Kivy WeakProxy raises on ``__class__``
        return [kind.__name__ for obj in gc.get_objects() if (kind := type(obj)) in kinds]

    @property
    def current_screen(self) -> Any:
        """The screen on display."""
        return self._screens.get(self.manager.current)

    def find(self, kiosk_id: str) -> Widget | None:
        """A touchable widget on the current screen (or the idle prompt) by its stable id."""
        if self.idle_view is not None and kiosk_id == "idle_continue":
            return self.idle_view.ids_continue
        screen = self.current_screen
        return screen.find(kiosk_id) if screen is not None else None

    def all_texts(self) -> list[str]:
        """Every text any widget of the app holds (privacy checks)."""
        texts: list[str] = []
        roots: list[Widget] = [Window, *self._screens.values()]
        if self.idle_view is not None:
            roots.append(self.idle_view)
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
        for screen in self._screens.values():
            for value in vars(screen).values():
                if isinstance(value, str) and value:
                    texts.append(value)
        return texts

    # ------------------------------------------------------------------ visit end, idle

    def _visit_ended(self, reason: EndReason) -> None:
        self._close_idle_view()
        for screen in self._screens.values():
            screen.wipe()
        self._drop_screens = True  # once the next screen shows (see ``_show``)
        self.translator.switch(self.kiosk.flow.settings.default_language)
        self.font_ui = self.font_for(self.translator.language.code)
        if (self.large_text, self.high_contrast) != (self.cfg.large_text, self.cfg.high_contrast):
            # the next resident starts from the stand's settings, not the last resident's
            self.large_text, self.high_contrast = self.cfg.large_text, self.cfg.high_contrast
            self._apply_theme()
        log.info("screens wiped after %s", reason.value)

    def _activity(self, *_args: Any) -> bool:
        self.idle.touch()
        if self.idle_view is not None:
            Clock.schedule_once(lambda _dt: self._close_idle_view(), 0)
        return False

    def _tick_idle(self, _dt: float) -> None:
        flow = self.kiosk.flow
        if not flow.active or flow.step is Step.PRINTING or flow.progress.busy:
            self.idle.touch()
            return
        factor = PIN_IDLE_FACTOR if flow.step in (Step.PIN, Step.LAST_TRY) else 1.0
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
        from kiosk.screens.tr import tr
        from kiosk.screens.widgets import BigButton, KLabel

        view = ModalView(auto_dismiss=False, size_hint=(0.7, 0.5))
        box = BoxLayout(orientation="vertical", padding=dp(24), spacing=dp(16))
        box.add_widget(KLabel(text=self.widget_text(tr._("Are you still there?"))))
        box.add_widget(
            KLabel(text=self.widget_text(tr._("Without a touch, the screen will be cleared soon.")))
        )
        button = BigButton(text=self.widget_text(tr._("Continue")), kiosk_id="idle_continue")
        button.bind(on_release=lambda *_a: self._close_idle_view())
        box.add_widget(button)
        view.add_widget(box)
        view.ids_continue = button
        self.idle_view = view
        view.open()

    def _close_idle_view(self) -> None:
        if self.idle_view is not None:
            view, self.idle_view = self.idle_view, None
            view.dismiss()
            view.clear_widgets()

    # ------------------------------------------------------------------ language, themes

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
        self.font_ui = self.font_for(code)
        self.kiosk.flow.set_language(code)

    def toggle_large_text(self) -> None:
        """Large-text mode on/off."""
        self.large_text = not self.large_text
        self._apply_theme()
        self.kiosk.flow.refresh()

    def toggle_high_contrast(self) -> None:
        """High-contrast mode on/off."""
        self.high_contrast = not self.high_contrast
        self._apply_theme()
        self.kiosk.flow.refresh()

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
        self._update_service()

    def _devices_changed(self, state: DeviceState) -> None:
        self._devices_ok = state.in_service or not state.started
        self._update_service()

    def _update_service(self) -> None:
        self.kiosk.flow.set_in_service(self._devices_ok and self._reader_ok)

    # ------------------------------------------------------------------ staff

    def refresh_staff_status(self) -> None:
        """Collect link/backlog/master status and the printer status off the UI thread."""
        kiosk = self.kiosk
        reader = kiosk.card.reader
        self.reader_text = f"{reader.describe()} ({'OK' if self._reader_ok else 'missing'})"
        kiosk.paper.run(
            lambda: collect(kiosk.sync, kiosk.master), self._staff_collected, self._staff_failed
        )
        kiosk.paper.status(self._printer_status, self._printer_failed)

    def _staff_collected(self, status: object) -> None:
        if isinstance(status, StaffStatus):
            self.staff_status = status
            self.link_ok = status.link is not LinkState.DOWN
        self._refresh_if(Step.MAINTENANCE, Step.WELCOME)

    def _staff_failed(self, err: BaseException) -> None:
        log.warning("staff status failed: %s", type(err).__name__)

    def _printer_status(self, status: Any) -> None:
        self.printer_text = "OK" if status.ready else str(status)
        self._refresh_if(Step.MAINTENANCE)

    def _printer_failed(self, err: BaseException) -> None:
        self.printer_text = getattr(err, "code", type(err).__name__)
        self._refresh_if(Step.MAINTENANCE)

    def _refresh_if(self, *steps: Step) -> None:
        if self.kiosk.flow.step in steps:
            self.kiosk.flow.refresh()

    def test_print(self) -> None:
        """Print a small test page."""
        from PIL import Image, ImageDraw

        from kiosk.hardware.printer.escpos_adapter import encode_image_job

        profile = self.kiosk.paper.printer.profile
        image = Image.new("1", (profile.width_dots, 120), 1)
        ImageDraw.Draw(image).text((20, 40), "KIOSK TEST PRINT", fill=0)
        job = encode_image_job(image, profile)
        self.kiosk.paper.test_print(job, self._test_printed, self._test_print_failed)

    def _test_printed(self, _result: None) -> None:
        self.test_result = "test print: OK"
        self.refresh_staff_status()

    def _test_print_failed(self, err: BaseException) -> None:
        self.test_result = f"test print: {getattr(err, 'code', type(err).__name__)}"
        self._refresh_if(Step.MAINTENANCE)

    def test_card(self) -> None:
        """Recognise the card on the reader and show its PIN tries (no PIN used)."""
        self.kiosk.card.check(self._card_tested, self._card_test_failed)

    def _card_tested(self, check: Any) -> None:
        self.test_result = f"test card: OK, tries {check.text_pin_tries}/{check.auth_pin_tries}"
        self._refresh_if(Step.MAINTENANCE)

    def _card_test_failed(self, err: BaseException) -> None:
        self.test_result = f"test card: {getattr(err, 'code', type(err).__name__)}"
        self._refresh_if(Step.MAINTENANCE)

    def set_default_language(self, code: str) -> None:
        """Staff: the language each visit starts in."""
        self.kiosk.flow.set_default_language(code)  # saved in the state folder

    def shift_counter(self, delta: int) -> None:
        """Staff: the counter number residents are sent to."""
        self.kiosk.flow.shift_counter(delta)  # saved in the state folder
