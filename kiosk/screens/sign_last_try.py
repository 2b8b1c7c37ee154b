"""The explicit confirmation before the last try of the card signature's PIN (利用者証明用)."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen


class SignLastTryScreen(KioskScreen):
    """One try left: confirm, or print without the card's signature."""

    def build_body(self) -> None:
        """Warning text and two choices."""
        signing = self.flow.signing
        counter = self.flow.settings.counter
        self.text(
            self._(
                "If you enter a wrong PIN for user authentication once more, it will be locked. "
                "It is also used for the health insurance card and convenience-store copies. "
                "Then please go to counter {counter}."
            ).format(counter=counter)
        )
        self.button(
            "sign_last_try_continue",
            self._("I understand. Enter the PIN"),
            signing.confirm_last_try,
        )
        if signing.state.required:
            return  # a card procedure needs the signature: no way round it
        self.button(
            "sign_last_try_skip",
            self._("Print without the card's signature"),
            signing.skip,
            role="secondary",
        )


SCREEN = SignLastTryScreen
