"""The PIN pad: large keys, masked, tries shown before entry; the buffer lives only here."""

from __future__ import annotations

from functools import partial

from kiosk.flows.card_steps import PIN_LENGTH
from kiosk.flows.steps import CardNotice
from kiosk.screens.base import KioskScreen

MASK_FILLED = "●"
MASK_EMPTY = "○"


class PinScreen(KioskScreen):
    """Four digits, sent to the flow when complete."""

    #: keyboard-height keys always (a screen with more text above its keypad)
    compact_keys = False
    #: the ●○ mask's size against the title
    mask_scale = 1.4

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._digits: list[str] = []

    def build_body(self) -> None:
        """Tries, mask and keypad."""
        if self.intro():
            self.keypad()

    def intro(self) -> bool:
        """The texts above the keypad; False when no keypad should show (subclasses)."""
        state = self.flow.card_steps.state
        tries = state.tries_left
        self.hint(
            self._("This is the 4-digit PIN for the card's information (券面事項入力補助用).")
        )
        if state.notice is CardNotice.WRONG_PIN:
            self.text(self._("The PIN was wrong."))
        if tries is not None:
            self.text(self._("Tries left: {n}").format(n=tries))
        return True

    def submit(self, pin: str) -> None:
        """Four digits typed (subclasses send them elsewhere)."""
        self.flow.card_steps.submit_pin(pin)

    def keypad(self) -> None:
        """The mask and the 12 keys."""
        self._mask = self.text("", data=True)
        self._mask.font_size = self.app.title_px * self.mask_scale
        self._mask.halign = "center"
        pad = self.grid(3)
        # large text: keys as tall as the keyboard's (still >= 15 mm), so all 12 stay on screen
        small = self.compact_keys or bool(self.app.large_text)
        for key in "123456789":
            self.button(f"pin_{key}", key, partial(self._press, key), parent=pad, compact=small)
        self.button(
            "pin_clear", self._("Clear"), self._clear, role="secondary", parent=pad, compact=small
        )
        self.button("pin_0", "0", lambda: self._press("0"), parent=pad, compact=small)
        self.button("pin_back", "←", self._back, role="secondary", parent=pad, compact=small)
        self._digits = []
        self._show()

    def _show(self) -> None:
        self._mask.text = MASK_FILLED * len(self._digits) + MASK_EMPTY * (
            PIN_LENGTH - len(self._digits)
        )

    def _press(self, key: str) -> None:
        if len(self._digits) >= PIN_LENGTH:
            return
        self._digits.append(key)
        self._show()
        if len(self._digits) == PIN_LENGTH:
            pin = "".join(self._digits)
            self._clear()
            self.submit(pin)

    def _back(self) -> None:
        if self._digits:
            self._digits.pop()
        self._show()

    def _clear(self) -> None:
        self._digits.clear()
        self._show()

    def on_leave(self, *_args: object) -> None:
        """Never keep digits after the screen is left."""
        self._digits.clear()

    def wipe(self) -> None:
        """Forget the digits too."""
        self._digits.clear()
        super().wipe()


SCREEN = PinScreen
