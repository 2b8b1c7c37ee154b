"""The PIN pad: large keys, masked, tries shown before entry; the buffer lives only here."""

from __future__ import annotations

from functools import partial

from kiosk.flows.card_steps import PIN_LENGTH
from kiosk.flows.steps import CardNotice
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

MASK_FILLED = "●"
MASK_EMPTY = "○"
#: whose card's PIN is asked when a further member's card is read ("2人目: …")
MEMBER_TITLE = N_("Person {n}: PIN of this person's card")
WRONG = N_("The PIN was wrong.")
WRONG_TODO = N_("Please check the PIN and enter it again. Tries left: {n}")


class PinScreen(KioskScreen):
    """Four digits, sent to the flow when complete."""

    #: keyboard-height keys always (a screen with more text above its keypad)
    compact_keys = False
    #: the ●○ mask's size against the title
    mask_scale = 1.4

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._digits: list[str] = []
        #: an error panel shows above the keypad (keys and mask get smaller)
        self._tight = False
        #: show the ●○ mask after this title instead of on its own line ('' : own line)
        self._title_mask = ""

    def build_body(self) -> None:
        """Tries, mask and keypad."""
        self._tight = False
        self._title_mask = ""
        if self.intro():
            self.keypad()

    def intro(self) -> bool:
        """The texts above the keypad; False when no keypad should show (subclasses)."""
        state = self.flow.card_steps.state
        tries = state.tries_left
        if state.for_member:
            self.title(self._(MEMBER_TITLE).format(n=state.person))
        wrong = state.notice is CardNotice.WRONG_PIN and tries is not None
        large = bool(self.app.large_text)
        hint = self._("This is the 4-digit PIN for the card's information (券面事項入力補助用).")
        left = self._("Tries left: {n}").format(n=tries) if tries is not None else ""
        if large and wrong:
            pass  # the error (with the tries) takes the hint's room: the keypad stays whole
        elif large and left:
            self.hint(f"{hint} {left}")  # one label less above the keypad
            self._tight = True
            left = ""
        else:
            self.hint(hint)
        if wrong and large:
            # one line: what went wrong and the tries (the keypad must stay whole on screen)
            self.error(f"{self._(WRONG)} {left}", "", kiosk_id="pin_error")
            self._tight = True
        elif wrong:
            self.error(self._(WRONG), self._(WRONG_TODO).format(n=tries), kiosk_id="pin_error")
            self._tight = True  # the error panel takes room: keyboard-height keys
        elif left:
            self.text(left)
        return True

    def submit(self, pin: str) -> None:
        """Four digits typed (subclasses send them elsewhere)."""
        self.flow.card_steps.submit_pin(pin)

    def keypad(self) -> None:
        """The mask and the 12 keys."""
        if not self._title_mask:
            self._mask = self.text("", data=True)
            self._mask.font_size = self.app.title_px * (1.0 if self._tight else self.mask_scale)
            self._mask.halign = "center"
        pad = self.grid(3)
        # large text: keys as tall as the keyboard's (still >= 15 mm), so all 12 stay on screen
        small = self.compact_keys or self._tight or bool(self.app.large_text)
        for key in "123456789":
            self.button(f"pin_{key}", key, partial(self._press, key), parent=pad, compact=small)
        self.button(
            "pin_clear", self._("Clear"), self._clear, role="secondary", parent=pad, compact=small
        )
        self.button("pin_0", "0", lambda: self._press("0"), parent=pad, compact=small)
        self.button("pin_back", "←", self._back, role="secondary", parent=pad, compact=small)
        for key_id in (*(f"pin_{k}" for k in "0123456789"), "pin_clear", "pin_back"):
            self.widgets[key_id].keep_in_view = True  # a key scrolled away is never excused
        self._digits = []
        self._show()

    def _show(self) -> None:
        mask = MASK_FILLED * len(self._digits) + MASK_EMPTY * (PIN_LENGTH - len(self._digits))
        if self._title_mask:
            self.title(f"{self._title_mask}　{mask}")
        else:
            self._mask.text = mask

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
