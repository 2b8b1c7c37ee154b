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
        panel = app.staff_panel
        status: StaffStatus | None = panel.status
        self.text(self._("Card reader") + ": " + panel.reader_text, data=True)
        self.text(self._("Printer") + ": " + panel.printer_text, data=True)
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
        if panel.test_result:
            self.text(panel.test_result, data=True)
        row = self.row()
        self.button("mt_refresh", self._("Refresh"), panel.refresh, role="chip", parent=row)
        self.button(
            "mt_test_print", self._("Test print"), panel.test_print, role="chip", parent=row
        )
        self.button(
            "mt_test_card", self._("Test card read"), panel.test_card, role="chip", parent=row
        )
        self.button("mt_diagnose", self._("Check the whole stand"), panel.diagnose, role="chip")
        self.text(self._("Default language"))
        grid = self.grid(4, portrait_cols=2)
        for lang in LANGUAGES:
            role = "primary" if lang.code == self.flow.settings.default_language else "chip"
            self.button(
                f"mt_lang_{lang.code}",
                lang.native,
                partial(self.flow.set_default_language, lang.code),
                role=role,
                parent=grid,
                font_name=app.font_for(lang.code),
            )
        row = self.row()
        self.text(self._("Counter number") + f": {self.flow.settings.counter}", parent=row)
        self.button(
            "mt_counter_minus", "-", lambda: self.flow.shift_counter(-1), role="chip", parent=row
        )
        self.button(
            "mt_counter_plus", "+", lambda: self.flow.shift_counter(1), role="chip", parent=row
        )
        self.footer_button("mt_close", self._("Close"), self.flow.staff.close_maintenance)


SCREEN = MaintenanceScreen
