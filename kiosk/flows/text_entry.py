"""The text-entry part: one keyboard request at a time, answered through its own callbacks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step, TextPurpose


@dataclass(slots=True)
class TextRequest:
    """What the on-screen keyboard edits now and where the answer goes."""

    purpose: TextPurpose
    value: str
    on_done: Callable[[str], None]
    on_cancel: Callable[[], None]

    def __repr__(self) -> str:
        return f"TextRequest({self.purpose.value})"


class TextEntry:
    """Opens the keyboard for a caller and hands OK / Back back to it (no ladder by purpose)."""

    def __init__(self, nav: Navigator) -> None:
        self._nav = nav
        self.request: TextRequest | None = None

    def ask(
        self,
        purpose: TextPurpose,
        value: str,
        on_done: Callable[[str], None],
        on_cancel: Callable[[], None],
    ) -> None:
        """Open the keyboard for ``purpose`` starting from ``value``."""
        self.request = TextRequest(purpose, value, on_done, on_cancel)
        self._nav.go(Step.TEXT_ENTRY)

    def done(self, value: str) -> None:
        """The keyboard's OK (an empty value skips optional entries; the caller decides)."""
        request, self.request = self.request, None
        if request is not None:
            request.on_done(value.strip())

    def cancel(self) -> None:
        """The keyboard's back button."""
        request, self.request = self.request, None
        if request is not None:
            request.on_cancel()

    def clear(self) -> None:
        """Drop any open request (the visit ended)."""
        self.request = None
