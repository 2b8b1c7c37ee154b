"""The explicit confirmation before the last PIN try."""

from __future__ import annotations

from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

SECONDS_PER_MINUTE = 60
TIME_LIMIT = N_(
    "Take your time: this screen waits {minutes} minutes for a touch. "
    "If it asks “Are you still there?”, touch “Continue”."
)


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
        # the words match the idle reset of the PIN screens (never "no time limit")
        minutes = max(1, int(self.app.pin_time_limit_s // SECONDS_PER_MINUTE))
        self.text(self._(TIME_LIMIT).format(minutes=minutes))
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
