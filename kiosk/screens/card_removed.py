"""The card was taken off mid-visit: put it back to continue, or the visit ends at 0."""

from __future__ import annotations

import math
from typing import Any

from kivy.clock import Clock

from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import CardGuide, KLabel

TICK_S = 0.5
#: the countdown's size against the title
COUNT_SCALE = 2.0
PUT_BACK = N_("To continue, please put your card back on the reader.")
ENDS_IN = N_("Without the card, this visit ends in {n} seconds and everything entered is erased.")
OTHER_CARD = N_("This is a different card.")
OTHER_TODO = N_("Please put back the card you took off.")


class CardRemovedScreen(KioskScreen):
    """A countdown; the same card put back resumes the visit (the flow decides)."""

    def build_body(self) -> None:
        """The request, the card guide, the countdown (updated twice a second)."""
        self.on_leave()
        pause = self.flow.pause
        state = pause.state
        self.hint(self._(PUT_BACK))
        guide = CardGuide()  # first: its card slides in from above its own box
        self.ids.body.add_widget(guide)
        guide.start()
        if state is not None and state.other_card:
            self.error(self._(OTHER_CARD), self._(OTHER_TODO), kiosk_id="card_removed_error")
        elif state is not None and state.checking:
            self.text(self._("Checking the card…"))
        self._count: KLabel = self.text("")
        self._count.font_size = self.app.title_px * COUNT_SCALE
        self._count.halign = "center"
        self._words: KLabel = self.text("")
        self._update()
        self._timer: Any = Clock.schedule_interval(self._tick, TICK_S)

    @property
    def seconds_left(self) -> int:
        """Whole seconds shown."""
        return math.ceil(self.flow.pause.remaining_s())

    def _update(self) -> None:
        n = self.seconds_left
        self._count.text = self.show(str(n))
        self._words.text = self.show(self._(ENDS_IN).format(n=n))

    def _tick(self, _dt: float) -> None:
        if self.flow.step.value != self.name:
            return
        self._update()
        self.flow.pause.tick()

    def on_leave(self, *_args: object) -> None:
        """Stop the countdown and the guide."""
        if getattr(self, "_timer", None) is not None:
            self._timer.cancel()
            self._timer = None
        for child in self.ids.body.children:
            if isinstance(child, CardGuide):
                child.stop()

    def wipe(self) -> None:
        """Stop the countdown too."""
        self.on_leave()
        super().wipe()


SCREEN = CardRemovedScreen
