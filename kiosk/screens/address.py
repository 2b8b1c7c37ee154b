"""The address picker: 町 (by kana row) → 丁目 → 街区 → 号, or 地番."""

from __future__ import annotations

from functools import partial

from kiosk.flows.address_picker import KANA_ROWS, Level
from kiosk.forms.model import FilingKind
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

HINTS = {
    Level.TOWN: N_("Choose the town (町)."),
    Level.CHOME: N_("Choose the district (丁目)."),
    Level.BLOCK: N_("Choose the block number (街区, 〇番)."),
    Level.RESIDENCE: N_("Choose the house number (〇号)."),
    Level.CHIBAN: N_("Choose the lot number (地番)."),
}


class AddressScreen(KioskScreen):
    """One list per level, fed by the master."""

    def build_body(self) -> None:
        """Path so far, kana rows, options."""
        flow = self.flow
        part = flow.address
        picker = part.picker
        if picker is None:
            return
        if flow.visit.kind is FilingKind.HOUSEHOLD_RESTRUCTURE:
            self.title(self._("Choose your address"))
        self.hint(self._(HINTS[picker.level]))
        if picker.path_text:
            self.text(f"{part.master.city} {picker.path_text}", data=True)
        if picker.level is Level.TOWN:
            rows = self.grid(6 if self.app.portrait or self.app.large_text else 11)
            self.button(
                "kana_all", self._("All"), lambda: part.pick_kana_row(""), role="chip", parent=rows
            )
            for row in KANA_ROWS:
                role = "primary" if row == picker.kana_row else "chip"
                self.button(
                    f"kana_{row}", row, partial(part.pick_kana_row, row), role=role, parent=rows
                )
        options = self.grid(4 if picker.level in (Level.BLOCK, Level.RESIDENCE) else 3)
        for option in picker.options():
            self.button(
                f"addr_{option.key}",
                option.label,
                partial(part.pick, option.key),
                role="secondary",
                parent=options,
            )
        if picker.can_use_parcel():
            self.button(
                "addr_parcel",
                self._("My address uses a lot number (地番)"),
                part.use_parcel,
                role="chip",
            )
        self.footer_button("addr_back", self._("Back"), part.back, role="secondary")


SCREEN = AddressScreen
