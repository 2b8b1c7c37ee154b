"""The move-out-route part (転入): how the movers left their previous municipality.

A paper 転出証明書, the card-based 特例転出, the マイナポータル online 転出, or from abroad — or
"not sure" (the counter asks; the filing carries ``move_out_route: null``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step
from kiosk.forms.model import MoveOutRoute


@dataclass(slots=True)
class RouteRequest:
    """One question: the answer given so far and where the answer goes."""

    current: MoveOutRoute | None
    on_done: Callable[[MoveOutRoute | None], None]
    on_back: Callable[[], None]


class MoveOutRouteQuestion:
    """Shows ``Step.MOVE_OUT_ROUTE``; the screen calls ``choose`` or ``back``."""

    def __init__(self, nav: Navigator) -> None:
        self._nav = nav
        self.request: RouteRequest | None = None

    def clear(self) -> None:
        """Forget the question (the visit ended)."""
        self.request = None

    def ask(
        self,
        current: MoveOutRoute | None,
        on_done: Callable[[MoveOutRoute | None], None],
        on_back: Callable[[], None],
    ) -> None:
        """Ask (the previous answer marked)."""
        self.request = RouteRequest(current, on_done, on_back)
        self._nav.go(Step.MOVE_OUT_ROUTE)

    def choose(self, route: MoveOutRoute | None) -> None:
        """The resident's answer (None: not sure)."""
        request = self.request
        if request is not None:
            self.request = None
            request.on_done(route)

    def back(self) -> None:
        """Back to the step before."""
        request = self.request
        if request is not None:
            self.request = None
            request.on_back()
