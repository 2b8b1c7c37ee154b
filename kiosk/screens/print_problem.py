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
            for msgid in problem_msgids(state.problem, state.outbox):
                self.text(self._(msgid))
        self.button("retry_print", self._("Try again"), flow.printing.retry)
        self.button(
            "problem_counter",
            self._("Go to counter {counter} without the paper").format(
                counter=flow.settings.counter
            ),
            flow.finish,
            role="secondary",
        )


SCREEN = PrintProblemScreen
