"""Printing: progress while the filing is enqueued and printed."""

from __future__ import annotations

from kiosk.screens.reading import ReadingScreen


class PrintingScreen(ReadingScreen):
    """Same progress bar as reading, other words."""

    show_stop = False

    def build_body(self) -> None:
        """Progress and a calm sentence."""
        super().build_body()
        self.hint(self._("This takes a few seconds."))


SCREEN = PrintingScreen
