"""Done: "take your card" (repeated while it lies on the reader), "take this form to counter N"."""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock

from kiosk.screens.base import KioskScreen

BLINK_S = 0.8
#: once the card is off the reader, the visit ends by itself after this many seconds
AUTO_FINISH_S = 8.0


class DoneScreen(KioskScreen):
    """The last screen of a visit."""

    show_stop = False

    def build_body(self) -> None:
        """Card reminder, counter, finish."""
        self.on_leave()  # a refresh must not leave a second reminder or finish timer behind
        flow = self.flow
        self._card_label = self.text(self._("Please take your card."))
        self.text(
            self._("Take this form to counter {counter}.").format(counter=flow.settings.counter)
        )
        self.button("done_finish", self._("Finish"), flow.finish)
        self._finishing: Any = None
        self._blink: Any = Clock.schedule_interval(self._remind, BLINK_S)

    def _remind(self, _dt: float) -> None:
        if self.flow.card.card_present:
            self._card_label.opacity = 0.3 if self._card_label.opacity == 1 else 1
        else:
            self._card_label.opacity = 1
            self._card_label.text = self.show(self._("Thank you. Your card has been taken."))
            if self._finishing is None:
                self._finishing = Clock.schedule_once(lambda _dt: self.flow.finish(), AUTO_FINISH_S)

    def on_leave(self, *_args: object) -> None:
        """Stop reminding."""
        if getattr(self, "_blink", None) is not None:
            self._blink.cancel()
            self._blink = None
        if getattr(self, "_finishing", None) is not None:
            self._finishing.cancel()
            self._finishing = None


SCREEN = DoneScreen
