"""A print problem: what went wrong (render, paper, printer) and where the filing is; retry."""

from __future__ import annotations

from kiosk.screens.base import KioskScreen
from kiosk.screens.problem_text import problem_msgids


class PrintProblemScreen(KioskScreen):
    """What happened and what to do."""

    show_stop = False

    def build_body(self) -> None:
        """Problem, the filing's state, two ways on."""
        flow = self.flow
        state = flow.printing.state
        if state.problem is not None:
            cause, kept = problem_msgids(state.problem, state.outbox)
            self.error(self._(cause), self._(kept), kiosk_id="print_error")
        self.button("retry_print", self._("Try again"), flow.printing.retry)
        self.button(
            "problem_counter",
            self._("Go to counter {counter} without the paper").format(
                counter=flow.settings.counter
            ),
            flow.printing.without_paper,  # the done screen shows the 受付番号 (and QR)
            role="secondary",
        )


SCREEN = PrintProblemScreen
