"""Done: "take your card" (repeated while it lies on the reader), "take this form to counter N"."""

from __future__ import annotations

from kivy.clock import Clock

from kiosk.screens.base import KioskScreen

BLINK_S = 0.8


class DoneScreen(KioskScreen):
    """The last screen of a visit."""

    show_stop = False

    def build_body(self) -> None:
        """Card reminder, counter, finish."""
        flow = self.flow
        self._card_label = self.text(self._("Please take your card."))
        self.text(
            self._("Take this form to counter {counter}.").format(counter=flow.settings.counter)
        )
        self.button("done_finish", self._("Finish"), flow.finish)
        self._blink = Clock.schedule_interval(self._remind, BLINK_S)

    def _remind(self, _dt: float) -> None:
        if self.flow.card.card_present:
            self._card_label.opacity = 0.3 if self._card_label.opacity == 1 else 1
        else:
            self._card_label.opacity = 1
            self._card_label.text = self._("Thank you. Your card has been taken.")

    def on_leave(self, *_args: object) -> None:
        """Stop reminding."""
        if getattr(self, "_blink", None) is not None:
            self._blink.cancel()


SCREEN = DoneScreen
