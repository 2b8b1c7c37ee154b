"""Place the card: animated guidance, "not a My Number card" notice."""

from __future__ import annotations

from kiosk.flows.steps import CardNotice
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import CardGuide

NOTICES = {
    CardNotice.NOT_MY_NUMBER: N_("This is not a My Number card. Please place your My Number card."),
    CardNotice.READ_FAILED: N_("The card could not be read. Please place it again."),
    CardNotice.SAME_CARD: N_("This card was already read. Please place the next person's card."),
}
#: whose card is wanted when a further member's card is read ("2人目: …")
MEMBER_TITLE = N_("Person {n}: place this person's card on the reader")


class PlaceCardScreen(KioskScreen):
    """Waits for the card (the flow reacts to its arrival)."""

    def build_body(self) -> None:
        """Guide animation, notice, and back when adding a member."""
        flow = self.flow
        state = flow.card_steps.state
        if state.for_member:
            self.title(self._(MEMBER_TITLE).format(n=state.person))
        self.hint(self._("Lay the card flat on the reader and leave it there."))
        guide = CardGuide()
        self.ids.body.add_widget(guide)
        guide.start()
        if state.busy:
            self.text(self._("Checking the card…"))
        notice = NOTICES.get(state.notice)
        if notice:
            # the one error style; the notice says both what went wrong and what to do
            self.error(self._(notice), "", kiosk_id="card_error")
        if state.for_member:
            self.footer_button(
                "add_back", self._("Back"), flow.card_steps.cancel_member, role="secondary"
            )
        elif not state.busy:
            self.footer_button(
                "place_back", self._("Choose another procedure"), flow.start, role="secondary"
            )

    def on_leave(self, *_args: object) -> None:
        """Stop the animation."""
        for child in self.ids.body.children:
            if isinstance(child, CardGuide):
                child.stop()


SCREEN = PlaceCardScreen
