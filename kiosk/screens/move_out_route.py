"""転入: how did you leave your previous municipality? (decides 特例転入 and what to bring)."""

from __future__ import annotations

from functools import partial

from kiosk.forms.model import MoveOutRoute
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

#: (route, id suffix, label, explanation); None = not sure (the counter asks)
ROUTES: tuple[tuple[MoveOutRoute | None, str, str, str], ...] = (
    (
        MoveOutRoute.CERTIFICATE, "certificate",
        N_("With a paper moving-out certificate (転出証明書)"),
        N_("You received the certificate at your previous city office."),
    ),
    (
        MoveOutRoute.CARD, "card",
        N_("With my My Number card at the previous city office (特例転出)"),
        N_("No paper certificate: the move-out was recorded on the card."),
    ),
    (
        MoveOutRoute.ONLINE, "online",
        N_("Online on マイナポータル"),
        N_("You filed the move-out on the internet with your card."),
    ),
    (
        MoveOutRoute.ABROAD, "abroad",
        N_("I am coming from abroad"),
        N_("You lived outside Japan before."),
    ),
    (None, "unsure", N_("Not sure"), N_("The counter will ask you.")),
)  # fmt: skip


class MoveOutRouteScreen(KioskScreen):
    """Five big answers, each with one line of explanation; the previous answer marked."""

    def build_body(self) -> None:
        """The question and the answers."""
        question = self.flow.route
        request = question.request
        self.hint(self._("How did you report leaving your previous city, town or village?"))
        current = request.current if request is not None else None
        for route, key, label, explanation in ROUTES:
            self.button(
                f"route_{key}",
                self._(label),
                partial(question.choose, route),
                role="primary" if current is route and route is not None else "chip",
                tall=True,
            )
            self.text(self._(explanation))
        self.footer_button("route_back", self._("Back"), question.back, role="secondary")


SCREEN = MoveOutRouteScreen
