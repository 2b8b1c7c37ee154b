"""The typed face of the app that screens (py and kv) talk to: no ``Any`` for the app or flow."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.flows.core import VisitFlow
    from kiosk.flows.staff import StaffStatus


class CheckView(Protocol):
    """One check's outcome as the self-check screen shows it."""

    @property
    def name(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def remedy(self) -> str: ...
    @property
    def status(self) -> Enum: ...


class StandDiagnosisView(Protocol):
    """The last self-check: still running, or its results."""

    running: bool

    @property
    def results(self) -> Sequence[CheckView]: ...


class StaffPanelPort(Protocol):
    """Maintenance: device and link status, test print, test card read."""

    status: StaffStatus | None
    printer_text: str
    reader_text: str
    test_result: str

    @property
    def diagnosis(self) -> StandDiagnosisView:
        """The last self-check of the stand."""
        ...

    def diagnose(self) -> None:
        """Open the self-check screen and run the checks (off the UI thread)."""
        ...

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
    #: the UI face of the current language (kiosk.theme: the CJK or the Devanagari face)
    font_ui: str
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

    @property
    def pin_time_limit_s(self) -> float:
        """Seconds without a touch before a PIN screen (or its last-try warning) ends the visit."""
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
