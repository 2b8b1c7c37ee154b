"""The printing part: the card signature (``signing``), enqueue ONCE, render, print; retry.

A retry after a problem never goes back to the outbox: the filing queued (or refused) on the
first attempt is the one rendered and printed again, so the same id is never submitted twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.flows.nav import Navigator
from kiosk.flows.outcomes import (
    Enqueued,
    EnqueueOutcome,
    PaperOut,
    Printed,
    PrinterOffline,
    PrintOutcome,
    PrintProblem,
    Rendered,
    RenderFailed,
    RenderOutcome,
    Signed,
    SigningSkipped,
    SignOutcome,
)
from kiosk.flows.paper import PaperService
from kiosk.flows.signing import RESIDENT_SKIPPED, SigningPart
from kiosk.flows.steps import Step
from kiosk.flows.visit import Visit
from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import Filing

if TYPE_CHECKING:  # the render module (and the codec it loads) comes with the first render
    from kiosk.flows.rendering import RenderedPaper

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PrintState:
    """The filing being printed and what happened to it so far."""

    busy: bool = False
    filing: Filing | None = None
    #: the outbox's answer to the one enqueue of this filing (None: not tried yet)
    outbox: EnqueueOutcome | None = None
    documents: RenderedPaper | None = None
    problem: PrintProblem | None = None
    #: the resident gave up on the paper: the done screen shows the 受付番号 (and the QR)
    no_paper: bool = False

    @property
    def saved(self) -> bool:
        """True once the filing is in the outbox."""
        return isinstance(self.outbox, Enqueued)

    @property
    def receipt_number(self) -> str:
        """The short 受付番号 as read aloud (``ABCD-EFGH``); '' without a filing."""
        if self.filing is None:
            return ""
        return receipt_number_display(receipt_number(self.filing.id))

    @property
    def qr_text(self) -> str:
        """What the on-screen QR carries: the filing id, only once the outbox holds it."""
        return self.filing.id if self.saved and self.filing is not None else ""


class PrintingPart:
    """Printing and print-problem steps; ``DONE`` once the printer took the receipt."""

    def __init__(
        self, nav: Navigator, signing: SigningPart, paper: PaperService, visit: Visit
    ) -> None:
        self._nav = nav
        self._signing = signing
        self._paper = paper
        self._visit = visit
        self.state = PrintState()
        self.enqueues = 0  # outbox submissions in this process (tests, staff)

    def clear(self) -> None:
        """Forget the filing and its paper (the visit ended)."""
        self.state = PrintState()

    def print_filing(self, filing: Filing, *, sign: bool = False) -> None:
        """Sign with the card if the resident wants (its own PIN), enqueue, render and print."""
        if self.state.busy or self.state.filing is not None:
            return
        if filing.kind.is_card_procedure and not (sign and self._signing.possible):
            return  # a card procedure is never filed without the card's signature
        if sign and self._signing.possible:
            self._signing.begin(filing, lambda outcome: self._start(filing, outcome))
        else:
            self._start(filing, SigningSkipped(RESIDENT_SKIPPED))

    def _start(self, filing: Filing, outcome: SignOutcome) -> None:
        if self.state.busy or self.state.filing is not None:
            return
        self.state = PrintState(busy=True, filing=filing)
        self._nav.go(Step.PRINTING)
        self._signed(outcome)

    def _signed(self, outcome: SignOutcome) -> None:
        self._visit.pin.wipe()
        filing = self.state.filing
        if filing is None:
            return
        if isinstance(outcome, SigningSkipped):
            log.info("filed without the card's signature: %s", outcome.code)
        self.enqueues += 1
        self._paper.enqueue(filing, outcome if isinstance(outcome, Signed) else None, self._queued)

    def _queued(self, outcome: EnqueueOutcome) -> None:
        self.state.outbox = outcome
        self._visit.submitted = True
        self._render()

    def _render(self) -> None:
        if self.state.filing is not None:
            self._paper.render(self.state.filing, self._rendered)

    def _rendered(self, outcome: RenderOutcome) -> None:
        match outcome:
            case Rendered(paper=paper):
                self.state.documents = paper
                self._print()
            case RenderFailed():
                self._problem(outcome)

    def _print(self) -> None:
        if self.state.documents is not None:
            self._paper.print_documents(self.state.documents, self._printed)

    def _printed(self, outcome: PrintOutcome) -> None:
        match outcome:
            case Printed():
                self.state.busy = False
                self.state.problem = None
                self._nav.go(Step.DONE)
            case PaperOut() | PrinterOffline():
                self._problem(outcome)

    def _problem(self, problem: PrintProblem) -> None:
        self.state.busy = False
        self.state.problem = problem
        self._nav.go(Step.PRINT_PROBLEM)

    def retry(self) -> None:
        """Paper refilled / printer back: print the filing already queued (never re-submit)."""
        state = self.state
        if state.busy or state.filing is None or state.problem is None:
            return
        state.problem = None
        state.busy = True
        self._nav.go(Step.PRINTING)
        if state.documents is not None:
            self._print()
        elif state.outbox is not None:
            self._render()
        else:  # pragma: no cover - a problem is only reported after the outbox answered
            self._signed(SigningSkipped("retry"))

    def without_paper(self) -> None:
        """The resident goes to the counter without the paper: the number on screen instead."""
        state = self.state
        if state.busy or state.filing is None or state.problem is None:
            return
        state.no_paper = True
        self._nav.go(Step.DONE)
