"""Welcome: language, accessibility modes, the procedure that starts the visit; staff corner."""

from __future__ import annotations

import time
from functools import partial

from kivy.metrics import dp

from kiosk.i18n.languages import LANGUAGES
from kiosk.screens.base import KioskScreen
from kiosk.screens.procedure import LABELS
from kiosk.screens.widgets import same_height

#: the last visit ended on an error nothing in the app handled (kiosk.app_faults)
FAULT_PROBLEM = "Sorry, this kiosk ran into a problem and stopped your visit."
FAULT_TODO = "What you entered has been erased. Please start again, or call staff."

#: taps on the hidden corner that open the staff PIN prompt
STAFF_TAPS = 5
STAFF_TAPS_WINDOW_S = 4.0


class WelcomeScreen(KioskScreen):
    """The first screen of every visit."""

    show_stop = False

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._taps: list[float] = []  # survives refreshes (status updates rebuild the screen)

    def build_body(self) -> None:
        """Languages, the procedures (each starts the visit), accessibility toggles."""
        crowded = self.app.large_text and not self.app.portrait
        if self.flow.fault_notice:  # above everything, in the one error style
            self.error(self._(FAULT_PROBLEM), self._(FAULT_TODO), kiosk_id="fault_notice")
        elif not crowded:  # in large text on a landscape panel the buttons need the room
            self.hint(self._("Choose your language, then what you want to do."))
        grid = self.grid(4)
        current = self.flow.visit.language
        for lang in LANGUAGES:
            self.button(
                f"lang_{lang.code}",
                lang.native,
                partial(self.app.set_language, lang.code),
                role="primary" if lang.code == current else "chip",
                parent=grid,
                font_name=self.app.font_for(lang.code),
                compact=crowded,
            )
        same_height([self.widgets[f"lang_{lang.code}"] for lang in LANGUAGES])
        # the procedure buttons start the visit (one touch fewer than a separate "Start");
        # side by side, as tall as the longest label: all of them on screen at once
        procedures = self.grid(3, portrait_cols=2)
        same_height([
            self.button(f"proc_{kind.value}", self._(LABELS[kind]),
                        partial(self.flow.choose_procedure, kind), parent=procedures)
            for kind in self.flow.procedures
        ])  # fmt: skip
        # the accessibility toggles stay in the footer: always on screen, whatever the body holds
        self.footer_button("a11y_large", self._("Large text"), self.app.toggle_large_text,
                           role="chip")  # fmt: skip
        self.footer_button("a11y_contrast", self._("High contrast"),
                           self.app.toggle_high_contrast, role="chip")  # fmt: skip
        corner = self.footer_button("staff_corner", "", self._staff_tap, role="secondary")
        corner.opacity = 0.0 if self.app.link_ok else 0.35  # a faint mark only staff know
        corner.size_hint_x = None
        corner.width = dp(90)

    def _staff_tap(self) -> None:
        now = time.monotonic()
        self._taps = [t for t in self._taps if now - t < STAFF_TAPS_WINDOW_S]
        self._taps.append(now)
        if len(self._taps) >= STAFF_TAPS:
            self._taps = []
            self.flow.staff.ask_pin()


SCREEN = WelcomeScreen
