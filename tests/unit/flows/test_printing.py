"""The printing part: sign, enqueue ONCE, render, print; each problem typed and truly worded."""

from __future__ import annotations

import dataclasses
import errno
import sqlite3

import pytest

from kiosk.flows.outcomes import (
    Enqueued,
    OutboxFull,
    OutboxRefused,
    PaperOut,
    PrinterOffline,
    RenderFailed,
)
from kiosk.flows.paper import outbox_outcome, print_outcome
from kiosk.flows.steps import Step
from kiosk.forms.model import FilingKind
from kiosk.hardware.printer.errors import PaperOutError, PrinterOfflineError
from kiosk.hardware.printer.memory import OFFLINE, PAPER_OUT, READY
from kiosk.i18n.catalog import translations
from kiosk.i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from kiosk.screens import problem_text
from kiosk.screens.problem_text import problem_msgids
from server_sync.devicekey import load_or_create_outbox_key
from server_sync.envelope import parse_envelope
from server_sync.outbox import Outbox
from tests.unit.flows.conftest import Harness


def _envelopes(h: Harness) -> list[bytes]:
    sync = h.kiosk.sync
    with Outbox.open(sync.outbox_path, load_or_create_outbox_key(sync.outbox_key_path)) as box:
        out = []
        while (msg := box.claim(due_only=False)) is not None:
            out.append(msg.envelope)
        return out


def _to_review(h: Harness) -> None:
    h.read_holder(FilingKind.MOVE_WITHIN)
    h.pick_address()
    h.kiosk.flow.household.done()
    assert h.kiosk.flow.step is Step.REVIEW


def test_retry_after_a_render_failure_prints_the_queued_filing_without_resubmitting(
    harness: Harness,
) -> None:
    h, flow = harness, harness.kiosk.flow
    _to_review(h)
    profile = h.printer._profile
    h.printer._profile = dataclasses.replace(profile, name="NO-SUCH-PRINTER")  # render fails
    flow.review.print()
    h.settle()
    state = flow.printing.state
    assert flow.step is Step.PRINT_PROBLEM and isinstance(state.problem, RenderFailed)
    assert state.saved and h.printer.jobs == []
    h.printer._profile = profile
    flow.printing.retry()
    h.settle()
    assert flow.step is Step.DONE and len(h.printer.jobs) == 1
    # one submission, no refused duplicate (today's retry re-submitted with a new created_at)
    assert flow.printing.enqueues == 1 and h.kiosk.paper.enqueue_failures == 0
    envelopes = _envelopes(h)
    assert len(envelopes) == 1
    assert state.filing is not None
    assert parse_envelope(envelopes[0]).idempotency_key == state.filing.id


def test_paper_out_retry_reprints_the_same_documents(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _to_review(h)
    h.printer.set_state(PAPER_OUT)
    flow.review.print()
    h.settle()
    documents = flow.printing.state.documents
    assert isinstance(flow.printing.state.problem, PaperOut) and documents is not None
    flow.printing.retry()  # still no paper: the same problem again, nothing submitted again
    h.settle()
    assert isinstance(flow.printing.state.problem, PaperOut)
    h.printer.set_state(READY)
    flow.printing.retry()
    h.settle()
    assert flow.step is Step.DONE and h.printer.jobs == [documents.escpos]
    assert flow.printing.enqueues == 1 and len(_envelopes(h)) == 1


def test_an_outbox_refusal_is_not_reported_as_a_saved_filing(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _to_review(h)
    submitter = h.kiosk.paper.submitter
    submitter.settings = dataclasses.replace(submitter.settings, kiosk_id=None)  # not enrolled
    h.printer.set_state(OFFLINE)
    flow.review.print()
    h.settle()
    state = flow.printing.state
    assert flow.step is Step.PRINT_PROBLEM
    assert isinstance(state.problem, PrinterOffline) and state.outbox == OutboxRefused("bad_config")
    assert not state.saved and _envelopes(h) == []
    cause, kept = problem_msgids(state.problem, state.outbox)
    assert (cause, kept) == (problem_text.PRINTER_OFFLINE, problem_text.OUTBOX_REFUSED)


def test_a_refused_outbox_still_prints_the_paper(harness: Harness) -> None:
    h, flow = harness, harness.kiosk.flow
    _to_review(h)
    submitter = h.kiosk.paper.submitter
    submitter.settings = dataclasses.replace(submitter.settings, kiosk_id=None)
    flow.review.print()
    h.settle()
    assert flow.step is Step.DONE and len(h.printer.jobs) == 1  # the QR code carries the filing
    assert isinstance(flow.printing.state.outbox, OutboxRefused)


@pytest.mark.parametrize(
    ("err", "outcome"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), OutboxFull()),
        (sqlite3.OperationalError("database or disk is full"), OutboxFull()),
        (sqlite3.OperationalError("database is locked"), OutboxRefused("OperationalError")),
        (OSError(errno.EACCES, "Permission denied"), OutboxRefused("PermissionError")),
    ],
)
def test_outbox_errors_become_typed_outcomes(err: BaseException, outcome: object) -> None:
    assert outbox_outcome(err) == outcome


def test_printer_errors_become_typed_outcomes() -> None:
    assert print_outcome(PaperOutError(0x60)) == PaperOut()
    assert print_outcome(PrinterOfflineError(None)) == PrinterOffline("printer_offline")


T = problem_text


@pytest.mark.parametrize(
    ("problem", "outbox", "expected"),
    [
        (RenderFailed("x"), Enqueued("id"), (T.RENDER_FAILED, T.SAVED)),
        (PaperOut(), Enqueued("id"), (T.PAPER_OUT, T.SAVED)),
        (PrinterOffline("x"), OutboxFull(), (T.PRINTER_OFFLINE, T.OUTBOX_FULL)),
        (RenderFailed("x"), OutboxRefused("x"), (T.RENDER_FAILED, T.OUTBOX_REFUSED)),
    ],
)
def test_each_cause_has_its_own_message(problem: object, outbox: object, expected: object) -> None:
    assert problem_msgids(problem, outbox) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES if lang.code != SOURCE_LANGUAGE])
def test_every_problem_message_is_translated(code: str) -> None:
    catalog = translations(code)
    msgids = [
        problem_text.RENDER_FAILED, problem_text.OUTBOX_REFUSED, problem_text.OUTBOX_FULL,
        problem_text.PAPER_OUT, problem_text.PRINTER_OFFLINE, problem_text.SAVED,
    ]  # fmt: skip
    shown = [catalog.gettext(m) for m in msgids]
    assert all(text and text != msgid for text, msgid in zip(shown, msgids, strict=True))
    assert len(set(shown)) == len(shown)  # no two causes read the same
