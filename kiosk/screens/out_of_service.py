"""Out of service (reader or printer missing); comes back by itself."""

from __future__ import annotations

from kiosk.screens.welcome import WelcomeScreen


class OutOfServiceScreen(WelcomeScreen):
    """No resident actions; the staff corner still works."""

    def build_body(self) -> None:
        """Message and the hidden corner."""
        counter = self.flow.settings.counter
        self.error(
            self._("This kiosk is out of service for a moment."),
            self._("Please go to counter {counter}.").format(counter=counter),
            kiosk_id="service_error",
        )
        corner = self.footer_button("staff_corner", "", self._staff_tap, role="secondary")
        corner.opacity = 0.0


SCREEN = OutOfServiceScreen
