"""Paper out / printer offline: the filing is kept; retry or go to the counter."""

from __future__ import annotations

from kiosk.flows.controller import PrintProblem
from kiosk.screens.base import KioskScreen


class PrintProblemScreen(KioskScreen):
    """What happened and what to do."""

    show_stop = False

    def build_body(self) -> None:
        """Problem, reassurance, two ways on."""
        flow = self.flow
        if flow.progress.print_problem == PrintProblem.PAPER_OUT:
            self.text(self._("The printer is out of paper."))
        else:
            self.text(self._("The printer is not responding."))
        self.text(self._("Your filing has been saved. Please call staff or try again."))
        self.button("retry_print", self._("Try again"), flow.retry_print)
        self.button(
            "problem_counter",
            self._("Go to counter {counter} without the paper").format(
                counter=flow.settings.counter
            ),
            flow.finish,
            role="secondary",
        )


SCREEN = PrintProblemScreen
