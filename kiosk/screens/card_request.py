"""Card procedures: "is your seal registered in this ward?", or why the request is not possible."""

from __future__ import annotations

from kiosk.flows.procedures.card import CardNotice, CardProcedures
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

SEAL_QUESTION = N_("Is your seal (印鑑) registered at this city office?")
SEAL_HINT = N_(
    "The My Number card can only stand in for the seal registration card of a seal that is "
    "already registered."
)
#: why not: what went wrong, what to do (the counter number is filled in)
REFUSALS = {
    CardNotice.SEAL_NOT_REGISTERED: (
        N_("Your seal needs to be registered first."),
        N_("Please register your seal at counter {counter} first. Then you can use your card."),
    ),
    CardNotice.TOO_YOUNG: (
        N_("Seal registration is possible from age 15."),
        N_("The My Number card cannot be used as a seal registration card before then."),
    ),
    CardNotice.NOT_JAPANESE: (
        N_("This registration is only for Japanese nationals."),
        N_("If you need a certificate, please ask at counter {counter}."),
    ),
}


class CardRequestScreen(KioskScreen):
    """The seal question (two big answers), or a kind refusal with the way on."""

    def build_body(self) -> None:
        """Question or refusal."""
        procedure = self.flow.procedure
        if not isinstance(procedure, CardProcedures):
            return
        members = self.flow.visit.members
        if members:
            self.text(members[0].name, data=True)
        if procedure.notice is CardNotice.SEAL_QUESTION:
            self.hint(self._(SEAL_HINT))
            self.text(self._(SEAL_QUESTION))
            self.button(
                "seal_yes", self._("Yes, it is registered"),
                lambda: procedure.answer_seal(True), tall=True,
            )  # fmt: skip
            self.button(
                "seal_no", self._("No, not yet"),
                lambda: procedure.answer_seal(False), role="chip", tall=True,
            )  # fmt: skip
            self.footer_button("card_request_back", self._("Back"), procedure.back,
                               role="secondary")  # fmt: skip
            return
        problem, todo = REFUSALS[procedure.notice]
        counter = self.flow.settings.counter
        self.error(self._(problem), self._(todo).format(counter=counter),
                   kiosk_id="card_request_error")  # fmt: skip
        self.text(self._("Please take your card."))
        self.button("card_request_ok", self._("OK"), self.flow.cancel)
        if procedure.notice is not CardNotice.TOO_YOUNG:
            self.footer_button("card_request_back", self._("Back"), procedure.back,
                               role="secondary")  # fmt: skip


SCREEN = CardRequestScreen
