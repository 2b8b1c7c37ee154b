"""Card procedures: the request on one screen before the card signs it (no address/household)."""

from __future__ import annotations

from kiosk.flows.review import VISIT_INCOMPLETE
from kiosk.flows.steps import EditTarget
from kiosk.forms.findings import Severity
from kiosk.forms.messages import message
from kiosk.forms.model import FilingKind
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.format import birth_text
from kiosk.screens.procedure import LABELS

SIGN_HINT = N_(
    "Your card signs this request. You will be asked for the PIN for user authentication "
    "(利用者証明用, 4 digits)."
)
CERTIFICATE = N_("Certificate on the card (利用者証明用)")
CERTIFICATE_LINE = N_("Serial number {serial}, valid until {until}")
INCOMPLETE = N_("The card could not be read completely. Please ask at counter {counter}.")


class CardReviewScreen(KioskScreen):
    """Who asks, what for, the certificate the card signs with; "sign and print" only."""

    def build_body(self) -> None:
        """The request, its findings, the one way to print it."""
        flow = self.flow
        review = flow.review
        filing = review.state.filing
        kind = flow.visit.kind
        if kind is not None:
            self.text(self._(LABELS[kind]))
        for finding in review.state.findings:
            mark = "⚠ " if finding.severity is Severity.ERROR else "※ "
            self.text(mark + message(finding, translate=lambda m, _lang: self._(m)))
        if VISIT_INCOMPLETE in review.state.errors or filing is None:
            self.text("⚠ " + self._(INCOMPLETE).format(counter=flow.settings.counter))
            return
        holder = filing.members[0]
        self.text(self._("Name"))
        self.text(f"{holder.name}　{birth_text(holder.birth_date)}", data=True)
        if flow.visit.old_address:
            self.text(self._("Address on the card"))
            self.text(flow.visit.old_address, data=True)
        if filing.kind is FilingKind.SEAL_CARD_BINDING:
            registered = filing.seal_card is not None and filing.seal_card.seal_registered
            shown = self._("Registered") if registered else "-"
            self.text(f"{self._('Seal registration')}: {shown}", data=True)
            self.button("edit_seal", self._("Change the answer"),
                        lambda: review.edit(EditTarget.HOUSEHOLD), role="chip")  # fmt: skip
        else:
            honseki = holder.honseki
            self.text(self._("Registered domicile (本籍)"))
            shown = f"{honseki.address}（{honseki.head_of_register}）" if honseki else "-"
            self.text(shown, data=True)
            self.button("edit_newcomer", self._("Change"),
                        lambda: review.edit(EditTarget.NEWCOMER), role="chip")  # fmt: skip
        cert = filing.card_certificate
        if cert is not None:
            line = self._(CERTIFICATE_LINE).format(serial=cert.serial, until=cert.not_after)
            self.text(f"{self._(CERTIFICATE)}: {line}")
        if not review.state.errors and flow.signing.possible:
            self.hint(self._(SIGN_HINT))
            self.footer_button(
                "print_signed", self._("Sign with my card and print"),
                lambda: review.print(sign=True),
            )  # fmt: skip


SCREEN = CardReviewScreen
