"""The card signature's own PIN (利用者証明用, 4 digits): whose card, tries left, or skip."""

from __future__ import annotations

from functools import partial

from kivy.uix.widget import Widget

from kiosk.flows.steps import SignNotice
from kiosk.i18n.catalog import N_
from kiosk.screens.pin import WRONG_TODO, PinScreen

HINT = N_(
    "To sign the form with the card, enter the 4-digit PIN for user authentication "
    "(利用者証明用). It can differ from the PIN you entered before."
)
HINT_SHORT = N_("Enter the PIN for user authentication (利用者証明用, 4 digits).")
CARD_ON_READER = N_("Card on the reader:")
#: whose card signs ("花子 さんのカード")
WHOSE = N_("Card of {name}")
SKIP = N_("Print without the card's signature")
NOTICES = {
    SignNotice.CHECKING: N_("Checking the card…"),
    SignNotice.NO_CARD: N_("Please place this card on the reader:"),
    SignNotice.OTHER_CARD: N_("This is another card. Please place this card on the reader:"),
    SignNotice.WRONG_PIN: N_("The PIN was wrong."),
    SignNotice.LOCKED: N_(
        "This card's PIN for signing is locked. You can print without the card's signature; "
        "the counter can unlock the PIN."
    ),
    SignNotice.FAILED: N_("The card could not sign. You can try again or print without it."),
}
#: card procedures: the signature is required (no printing without it)
REQUIRED_NOTICES = {
    SignNotice.LOCKED: N_(
        "This card's PIN for user authentication is locked. This request needs the card's "
        "signature: please go to the counter, where the PIN can be unlocked."
    ),
    SignNotice.FAILED: N_("The card could not sign. Please try again."),
}


class SignPinScreen(PinScreen):
    """The 利用者証明用 PIN: never the PIN typed to read the card, never sent twice."""

    compact_keys = True
    mask_scale = 1.0

    def intro(self) -> bool:
        """Whose card, why this PIN, its tries; the skip is always offered."""
        signing = self.flow.signing
        state = signing.state
        # large text: the short request (one line), so that the keypad stays whole on screen
        notice = state.notice
        wrong = notice is SignNotice.WRONG_PIN and signing.ready
        if not wrong:  # a wrong PIN: the error panel takes the hint's room (keypad stays whole)
            self.hint(self._(HINT_SHORT if self.app.large_text else HINT))
        tries = ""
        if state.tries_left is not None and notice is not SignNotice.LOCKED:
            tries = self._("Tries left: {n}").format(n=state.tries_left)
        if signing.ready:
            # the keypad stays whole on screen (large text too): the tries (and a wrong PIN)
            # beside the title, whose card and the skip on one row, no footer
            whose = self._(WHOSE).format(name=signing.holder_name)
            if wrong and self.app.large_text:
                # large text: whose card and the ●○ mask as the title, the error beside the skip
                self._title_mask = whose
                row = self.row()
                panel = self.error(f"{self._(NOTICES[notice])} {tries}", "", kiosk_id="pin_error",
                                   parent=row)  # fmt: skip
                panel.bind(height=partial(self._fit_panel_row, row))
                if not state.required:
                    self.button(
                        "sign_skip", self._(SKIP), signing.skip, role="secondary", parent=row
                    )
                return True
            if self.app.large_text and not wrong:
                # large text: whose card and the ●○ mask as the title, the tries beside the skip
                self._title_mask = whose
                row = self.row()
                self.text(tries, parent=row)
                if not state.required:
                    self.button(
                        "sign_skip", self._(SKIP), signing.skip, role="secondary", parent=row
                    )
                return True
            if wrong and state.tries_left is not None:
                todo = self._(WRONG_TODO).format(n=state.tries_left)
                self.error(self._(NOTICES[notice]), todo, kiosk_id="pin_error")
            else:
                self.title(f"{self.default_title}　{tries}")
            row = self.row()
            self.text(whose, parent=row)
            if not state.required:
                self.button("sign_skip", self._(SKIP), signing.skip, role="secondary", parent=row)
            return True
        if notice in (SignNotice.NO_CARD, SignNotice.OTHER_CARD, SignNotice.NONE):
            self.text(self._(NOTICES.get(notice, CARD_ON_READER)))
            self.text(signing.holder_name, data=True)  # whose card: the holder read first
        elif state.required and notice in REQUIRED_NOTICES:
            self.text(self._(REQUIRED_NOTICES[notice]))
        else:
            self.text(self._(NOTICES[notice]))
        if tries:
            self.text(tries)
        if not state.required:
            self.footer_button("sign_skip", self._(SKIP), signing.skip, role="secondary")
        if notice is SignNotice.FAILED:
            self.button("sign_check_again", self._("Try again"), signing.check, role="chip")
        return signing.ready

    def _fit_panel_row(self, row: Widget, _panel: Widget, height: float) -> None:
        """The row as high as the error panel in it (the skip button too); it shrinks back
        once the panel, laid out while the row was still narrow, unwraps."""
        row.height = max(self.app.touch_px, height)
        for child in row.children:
            child.height = row.height

    def submit(self, pin: str) -> None:
        """One signature attempt with this PIN."""
        self.flow.signing.submit_pin(pin)


SCREEN = SignPinScreen
