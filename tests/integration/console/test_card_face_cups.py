"""The card-face print through a real CUPS: Print-Job over IPP, the job's state, the output file.

A private cupsd (tests/fixtures/cups.py) with a ``file:`` PDF queue; the PDF must carry the
rendered card image pixel for pixel (extracted with poppler's pdfimages).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from server_sync.intake.cardface import (
    CardFaceJob,
    CardFaceSettings,
    CardType,
    PrinterError,
    PrintOptions,
    render,
    render_png,
)
from server_sync.intake.cardface.ipp import JobState, job_status, print_job
from tests.fixtures.cups import CupsServer

pytestmark = pytest.mark.cups

SETTINGS = CardFaceSettings()
OPTIONS = PrintOptions(first_line=2, font_pt=6.5)
JOB = CardFaceJob(
    0, CardType.MY_NUMBER, "転入", "令和8年11月27日", "東京都新宿区北町12番地3", "𠮷野ハイツ203"
)
WAIT_S = 60.0  # a loaded CI machine can take a while to run the PDF filter


def wait_settled(uri: str, job_id: int) -> JobState:
    """The job's state once it is final or stopped (or whatever it is after WAIT_S)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        state = job_status(uri, job_id, user="clerk1").state
        if state.final or state is JobState.PROCESSING_STOPPED or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def test_print_job_completes_and_the_pdf_holds_the_image(
    cups_server: CupsServer, tmp_path: Path
) -> None:
    if shutil.which("pdfimages") is None:
        pytest.skip("poppler-utils (pdfimages) is not installed")
    png = render_png(JOB, SETTINGS, OPTIONS)
    job_id = print_job(
        cups_server.queue_uri, png, job_name="card-face test", user="clerk1", ppi=300
    )
    assert job_id > 0
    assert wait_settled(cups_server.queue_uri, job_id) is JobState.COMPLETED, cups_server.log_tail()
    pdf = cups_server.output
    assert pdf.exists() and pdf.stat().st_size > len(png)
    assert b"%PDF-" in pdf.read_bytes()  # the Generic PDF driver wraps it in PJL
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    row = listing.splitlines()[2].split()  # page num type width height color comp bpc … x-ppi y-ppi
    assert (row[3], row[4], row[5]) == ("1011", "638", "gray")
    assert (row[12], row[13]) == ("300", "300"), "printed at the card's own resolution"
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "img")], check=True)
    with Image.open(tmp_path / "img-000.png") as printed:
        expected = render(JOB, SETTINGS, OPTIONS)
        assert ImageChops.difference(printed.convert("L"), expected).getbbox() is None


def test_a_document_the_driver_cannot_read_stops_the_job(cups_server: CupsServer) -> None:
    broken_png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    job_id = print_job(cups_server.queue_uri, broken_png, job_name="t", user="clerk1")
    assert wait_settled(cups_server.queue_uri, job_id) is JobState.PROCESSING_STOPPED
    status = job_status(cups_server.queue_uri, job_id, user="clerk1")
    assert status.reasons == "cups-filter-crashed"
    out = cups_server.output
    assert not out.exists() or b"%PDF-" not in out.read_bytes(), "nothing was printed"


def test_an_unknown_queue_is_a_printer_error(cups_server: CupsServer) -> None:
    with pytest.raises(PrinterError) as err:
        print_job(
            f"ipp://{cups_server.host}/printers/nosuchqueue", b"x", job_name="t", user="clerk1"
        )
    assert err.value.status is not None


def test_an_unreachable_server_is_a_printer_error() -> None:
    with pytest.raises(PrinterError):
        job_status("ipp://127.0.0.1:9/printers/cardface", 1, user="clerk1")
