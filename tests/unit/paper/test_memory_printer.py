"""MemoryPrinter: records bytes, answers real DLE EOT bytes, refuses jobs when not ready."""

from __future__ import annotations

import pytest

from kiosk.hardware.printer.errors import (
    CoverOpenError,
    PaperOutError,
    PrinterOfflineError,
    PrinterTimeoutError,
)
from kiosk.hardware.printer.factory import open_printer
from kiosk.hardware.printer.memory import (
    COVER_OPEN,
    NO_ANSWER,
    OFFLINE,
    PAPER_NEAR_END,
    PAPER_OUT,
    READY,
    MemoryPrinter,
)
from kiosk.hardware.printer.port import PrinterPort
from kiosk.hardware.printer.status import PaperLevel

JOB = b"\x1b@" + b"\x1dv0\x00\x01\x00\x01\x00\xff" + b"\x1dV\x00"


def test_records_exact_bytes_and_queries_status_before_and_after(
    memory_printer: MemoryPrinter,
) -> None:
    memory_printer.print_job(JOB)
    memory_printer.print_job(JOB)
    assert memory_printer.jobs == [JOB, JOB]
    assert memory_printer.output == JOB + JOB
    assert memory_printer.requests[:3] == [b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04"]
    assert len(memory_printer.requests) == 12  # 3 before + 3 after, per job


@pytest.mark.parametrize(
    ("state", "error"),
    [(PAPER_OUT, PaperOutError), (OFFLINE, PrinterOfflineError), (COVER_OPEN, CoverOpenError),
     (NO_ANSWER, PrinterTimeoutError)],
)  # fmt: skip
def test_not_ready_refuses_and_writes_nothing(
    memory_printer: MemoryPrinter, state: object, error: type
) -> None:
    memory_printer.set_state(state)  # type: ignore[arg-type]
    with pytest.raises(error):
        memory_printer.print_job(JOB)
    assert memory_printer.jobs == []


def test_near_end_still_prints_and_reports_it(memory_printer: MemoryPrinter) -> None:
    memory_printer.set_state(PAPER_NEAR_END)
    assert memory_printer.status().paper is PaperLevel.NEAR_END
    memory_printer.print_job(JOB)
    assert memory_printer.jobs == [JOB]


def test_scripted_paper_out_after_the_job_is_reported(memory_printer: MemoryPrinter) -> None:
    memory_printer.script([READY, PAPER_OUT])
    with pytest.raises(PaperOutError):
        memory_printer.print_job(JOB)
    assert memory_printer.jobs == [JOB]  # written, then the roll ran out: the app must reprint
    memory_printer.print_job(JOB)  # script exhausted → lasting state READY
    assert len(memory_printer.jobs) == 2


def test_factory_builds_memory_printer_and_it_satisfies_the_port() -> None:
    printer: PrinterPort = open_printer({"kind": "memory", "profile": "TM-T88V"})
    assert isinstance(printer, MemoryPrinter)
    assert printer.profile.width_dots == 512
    with printer as p:
        p.print_job(JOB)
    assert printer.closed
