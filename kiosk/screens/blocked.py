"""Please go to counter N (PIN locked, or data to be checked by staff)."""

from __future__ import annotations

from kiosk.flows.steps import CounterReason
from kiosk.screens.base import KioskScreen


class BlockedScreen(KioskScreen):
    """A dead end with a clear next step."""

    show_stop = False

    def build_body(self) -> None:
        """Reason and counter."""
        counter = self.flow.settings.counter
        if self.flow.card_steps.state.counter_reason is CounterReason.PIN_LOCKED:
            problem = self._("The PIN of this card is locked.")
        else:
            problem = self._("Staff will check your information.")
        todo = self._("Please go to counter {counter}.").format(counter=counter)
        self.error(problem, todo, kiosk_id="blocked_error")
        self.text(self._("Please take your card."))
        self.button("blocked_ok", self._("OK"), self.flow.cancel)


SCREEN = BlockedScreen
