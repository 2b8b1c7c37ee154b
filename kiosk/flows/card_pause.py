"""The card left the reader where the visit needs it: pause with a countdown, resume or wipe.

Only a card this visit has already recognised (the holder's, or a member's read here) resumes
the visit where the resident was. Another card never does — whoever holds it may be someone
else standing at the kiosk, and the screen behind the pause shows the first resident's data —
and it does not buy time either: the countdown runs on and the visit is wiped as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.flows.card_service import CardService
from kiosk.flows.nav import Navigator
from kiosk.flows.outcomes import CardRecognised, CheckOutcome
from kiosk.flows.steps import Step

log = logging.getLogger(__name__)

#: seconds the pause screen waits for the card before the visit is wiped (kiosk.toml default)
DEFAULT_WIPE_S = 30.0


@dataclass(slots=True)
class PauseState:
    """The step the resident was on and when the card left."""

    step: Step
    since: float
    #: the card put back was not one of this visit's cards
    other_card: bool = False
    checking: bool = False


class CardPause:
    """Shows ``Step.CARD_REMOVED``; ``expired`` (the wipe) runs once the countdown is over."""

    def __init__(
        self,
        nav: Navigator,
        card: CardService,
        *,
        wipe_after_s: Callable[[], float],
        expired: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._nav = nav
        self._card = card
        self._wipe_after_s = wipe_after_s
        self._expired = expired
        #: the countdown's clock (monotonic; tests step it)
        self.clock = clock
        self.state: PauseState | None = None
        #: certificates of the cards recognised in this visit (never shown, wiped at the end)
        self._known: set[bytes] = set()

    @property
    def paused(self) -> bool:
        """True while the pause screen waits for the card."""
        return self.state is not None

    def clear(self) -> None:
        """Forget the pause and the visit's cards (the visit ended)."""
        self.state = None
        self._known.clear()

    def remember(self, certificate: bytes) -> None:
        """A card of this visit was recognised (the holder's or a member's)."""
        if certificate:
            self._known.add(certificate)

    # ------------------------------------------------------------------ the pause

    def start(self) -> None:
        """The card left on ``nav.step``: show the pause screen and start the countdown."""
        if self.state is None:
            self.state = PauseState(step=self._nav.step, since=self.clock())
        self._nav.go(Step.CARD_REMOVED)

    def remaining_s(self) -> float:
        """Seconds left before the wipe (0 when over, the full time when not paused)."""
        if self.state is None:
            return self._wipe_after_s()
        return max(0.0, self._wipe_after_s() - (self.clock() - self.state.since))

    def tick(self) -> None:
        """Called by the pause screen's timer: wipe once the countdown is over."""
        if self.state is not None and self.remaining_s() <= 0:
            log.info("card not put back in time")
            self.state = None
            self._expired()

    def card_back(self) -> None:
        """A card arrived during the pause: resume if it is one of this visit's cards."""
        state = self.state
        if state is None or state.checking:
            return
        state.checking = True
        self._nav.refresh()
        self._card.check(self._checked)

    def _checked(self, outcome: CheckOutcome) -> None:
        state = self.state
        if state is None:  # wiped meanwhile
            return
        state.checking = False
        if isinstance(outcome, CardRecognised) and outcome.certificate in self._known:
            self.state = None
            self._nav.go(state.step)
            return
        state.other_card = True
        self._nav.refresh()

    def card_gone(self) -> None:
        """The other card was taken away again: back to the plain request."""
        if self.state is not None:
            self.state.other_card = False
            self._nav.refresh()
