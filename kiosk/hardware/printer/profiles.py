"""Printer profiles as data: paper width in dots, resolution and cutter support.

Names match python-escpos's bundled capability profiles so the adapter can pass them through;
``tests/unit/paper`` checks the widths against python-escpos's own database.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.hardware.printer.errors import PrinterConfigError


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    """What the renderer and the encoder need to know about one printer model."""

    name: str
    width_dots: int
    dpi: int
    full_cut: bool = True
    part_cut: bool = True

    @property
    def dots_per_mm(self) -> float:
        """Dots per millimetre (8 at 203 dpi)."""
        return self.dpi / 25.4


#: 80 mm paper at 203 dpi (72 mm printable)
TM_T20II = PrinterProfile(name="TM-T20II", width_dots=576, dpi=203)
#: 80 mm paper at 180 dpi (TM-T88-class)
TM_T88V = PrinterProfile(name="TM-T88V", width_dots=512, dpi=180)
TM_T88IV = PrinterProfile(name="TM-T88IV", width_dots=512, dpi=180)
TM_P80 = PrinterProfile(name="TM-P80", width_dots=576, dpi=203)

PROFILES: dict[str, PrinterProfile] = {p.name: p for p in (TM_T20II, TM_T88V, TM_T88IV, TM_P80)}
DEFAULT_PROFILE = TM_T20II


def get_profile(name: str) -> PrinterProfile:
    """Look a profile up by its python-escpos name; unknown names are a config error."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise PrinterConfigError("profile", f"unknown {name!r} (known: {known})") from None
