"""The explicit confirmation before the last PIN try."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen


class LastTryScreen(KioskScreen):
    """Only one try left: confirm, or go to the counter."""

    def build_body(self) -> None:
        """Warning text and two choices."""
        counter = self.flow.settings.counter
        self.text(
            self._(
                "If you enter a wrong PIN once more, the PIN will be locked. "
                "Then please go to counter {counter}."
            ).format(counter=counter)
        )
        self.text(self._("Take your time. There is no time limit."))
        self.button(
            "last_try_continue",
            self._("I understand. Enter the PIN"),
            self.flow.card_steps.confirm_last_try,
        )
        self.button(
            "last_try_counter",
            self._("Go to the counter instead"),
            self.flow.cancel,
            role="secondary",
        )


SCREEN = LastTryScreen
