"""What the print-problem screen says: one true message per cause, one per outbox outcome.

Kept free of Kivy so the mapping is tested without a window (``tests/unit/flows``).
"""

from __future__ import annotations

from kiosk.flows.outcomes import (
    Enqueued,
    EnqueueOutcome,
    OutboxFull,
    OutboxRefused,
    PaperOut,
    PrinterOffline,
    PrintProblem,
    RenderFailed,
)
from kiosk.i18n.catalog import N_

RENDER_FAILED = N_("The form could not be prepared for printing.")
PAPER_OUT = N_("The printer is out of paper.")
PRINTER_OFFLINE = N_("The printer is not responding.")
SAVED = N_("Your filing has been saved. Please call staff or try again.")
OUTBOX_REFUSED = N_("This kiosk could not store your filing. Please call staff or try again.")
OUTBOX_FULL = N_(
    "This kiosk's storage is full, so your filing could not be stored. Please call staff."
)


def problem_msgids(problem: PrintProblem, outbox: EnqueueOutcome | None) -> tuple[str, str]:
    """(what went wrong with the paper, where the filing is) as English msgids."""
    match problem:
        case RenderFailed():
            cause = RENDER_FAILED
        case PaperOut():
            cause = PAPER_OUT
        case PrinterOffline():
            cause = PRINTER_OFFLINE
    match outbox:
        case Enqueued():
            kept = SAVED
        case OutboxFull():
            kept = OUTBOX_FULL
        case OutboxRefused() | None:
            kept = OUTBOX_REFUSED
    return cause, kept
