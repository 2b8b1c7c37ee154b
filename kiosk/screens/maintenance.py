"""Maintenance for staff: reader, printer, central link, backlog, masters; tests; defaults."""

from __future__ import annotations

from functools import partial

from kiosk.flows.staff import StaffStatus
from kiosk.i18n.languages import LANGUAGES
from kiosk.screens.base import KioskScreen


class MaintenanceScreen(KioskScreen):
    """Status lines (refreshed on entry and after each test) and staff actions."""

    show_stop = False

    def build_body(self) -> None:
        """Status, tests, defaults, close."""
        app = self.app
        status: StaffStatus | None = app.staff_status
        self.text(self._("Card reader") + ": " + app.reader_text, data=True)
        self.text(self._("Printer") + ": " + app.printer_text, data=True)
        if status is not None:
            link = {
                "up": self._("connected"),
                "down": self._("not connected"),
                "unknown": self._("unknown"),
            }
            self.text(self._("Central link") + ": " + link[status.link.value], data=True)
            if status.last_error:
                self.text(self._("Last error") + ": " + status.last_error, data=True)
            self.text(
                self._("Filings waiting to be sent") + f": {status.backlog} (dead: {status.dead})",
                data=True,
            )
            self.text(self._("Address master") + ": " + status.master_version, data=True)
            self.text(
                self._("Published master") + ": " + status.published_master_version, data=True
            )
        if app.test_result:
            self.text(app.test_result, data=True)
        row = self.row()
        self.button(
            "mt_refresh", self._("Refresh"), app.refresh_staff_status, role="chip", parent=row
        )
        self.button("mt_test_print", self._("Test print"), app.test_print, role="chip", parent=row)
        self.button(
            "mt_test_card", self._("Test card read"), app.test_card, role="chip", parent=row
        )
        self.text(self._("Default language"))
        grid = self.grid(4, portrait_cols=2)
        for lang in LANGUAGES:
            role = "primary" if lang.code == self.flow.settings.default_language else "chip"
            self.button(
                f"mt_lang_{lang.code}",
                lang.native,
                partial(app.set_default_language, lang.code),
                role=role,
                parent=grid,
                font_name=app.font_for(lang.code),
            )
        row = self.row()
        self.text(self._("Counter number") + f": {self.flow.settings.counter}", parent=row)
        self.button("mt_counter_minus", "-", lambda: app.shift_counter(-1), role="chip", parent=row)
        self.button("mt_counter_plus", "+", lambda: app.shift_counter(1), role="chip", parent=row)
        self.footer_button("mt_close", self._("Close"), self.flow.close_maintenance)


SCREEN = MaintenanceScreen
