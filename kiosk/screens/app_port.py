"""The typed face of the app that screens (py and kv) talk to: no ``Any`` for the app or flow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.flows.core import VisitFlow
    from kiosk.flows.staff import StaffStatus


class StaffPanelPort(Protocol):
    """Maintenance: device and link status, test print, test card read."""

    status: StaffStatus | None
    printer_text: str
    reader_text: str
    test_result: str

    def refresh(self) -> None:
        """Collect the status again (off the UI thread)."""
        ...

    def test_print(self) -> None:
        """Print a small test page."""
        ...

    def test_card(self) -> None:
        """Recognise the card on the reader (no PIN)."""
        ...


class AppPort(Protocol):
    """The shell: the flow, the theme numbers kv rules read, language and accessibility."""

    touch_px: float
    key_px: float
    title_px: float
    text_px: float
    large_text: bool
    link_ok: bool

    @property
    def flow(self) -> VisitFlow:
        """The visit core and its parts."""
        ...

    @property
    def staff_panel(self) -> StaffPanelPort:
        """Maintenance actions and status."""
        ...

    @property
    def portrait(self) -> bool:
        """The panel stands upright."""
        ...

    def widget_text(self, text: str) -> str:
        """Markup for a widget in the current language."""
        ...

    def font_for(self, code: str) -> str:
        """The UI font name for a language."""
        ...

    def set_language(self, code: str) -> None:
        """The resident picked a language."""
        ...

    def toggle_large_text(self) -> None:
        """Large text on/off."""
        ...

    def toggle_high_contrast(self) -> None:
        """High contrast on/off."""
        ...
