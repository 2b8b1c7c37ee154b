"""The narrow interface every part gets from the visit core: show a step, re-render."""

from __future__ import annotations

from typing import Protocol

from kiosk.flows.steps import Step


class Navigator(Protocol):
    """Moves the visit to a step (listeners re-render) or re-renders the current one."""

    @property
    def step(self) -> Step:
        """The step on display."""
        ...

    def go(self, step: Step) -> None:
        """Show ``step``."""
        ...

    def refresh(self) -> None:
        """Re-render the current step."""
        ...
