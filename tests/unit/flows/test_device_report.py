"""The UI's device report for the fleet view: the last print's outcome reaches the file."""

from __future__ import annotations

from pathlib import Path

from kiosk.device_report import DeviceReport
from kiosk.hardware.printer.memory import PAPER_OUT, READY
from server_sync.stand_report import read_device_state
from tests.unit.flows.conftest import Harness
from tests.unit.flows.test_printing import _to_review


def test_paper_out_and_refill_reach_the_heartbeat_file(harness: Harness, tmp_path: Path) -> None:
    h, flow = harness, harness.kiosk.flow
    report = DeviceReport(tmp_path)
    h.kiosk.paper.on_printer_state = report.printer
    report.reader(True)
    assert read_device_state(tmp_path) == ("ok", "unknown")  # nothing printed yet
    _to_review(h)
    h.printer.set_state(PAPER_OUT)
    flow.review.print()
    h.settle()
    assert read_device_state(tmp_path) == ("ok", "paper_out")
    h.printer.set_state(READY)
    flow.printing.retry()
    h.settle()
    assert read_device_state(tmp_path) == ("ok", "ok")


def test_a_pulled_reader_and_printer_are_missing(tmp_path: Path) -> None:
    report = DeviceReport(tmp_path)
    report.printer("ok")
    report.printer_present(False)
    report.reader(False)
    assert read_device_state(tmp_path) == ("missing", "missing")
    report.printer_present(True)
    assert read_device_state(tmp_path) == ("missing", "ok")


def test_a_held_report_writes_nothing_until_released_then_the_latest(tmp_path: Path) -> None:
    report = DeviceReport(tmp_path, held=True)  # the app's, until its first frame is drawn
    report.printer_present(False)
    report.reader(True)
    report.printer_present(True)
    report.flush()
    assert not list(tmp_path.iterdir())
    report.release()
    assert read_device_state(tmp_path) == ("ok", "unknown")
    report.reader(False)  # released: every change is written again
    assert read_device_state(tmp_path) == ("missing", "unknown")
