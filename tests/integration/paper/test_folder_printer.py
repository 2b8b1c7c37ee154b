"""The demo's FolderPrinter and the MemoryPrinter fed with real receipts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kiosk.forms.payload import SignatureStatus, decode_payload
from kiosk.forms.render.documents import render_documents
from kiosk.forms.render.qr import read_qr_texts
from kiosk.hardware.printer.errors import PaperOutError
from kiosk.hardware.printer.folder import FolderPrinter
from kiosk.hardware.printer.memory import PAPER_OUT, MemoryPrinter
from kiosk.hardware.printer.raster_decode import decode_job
from tests.integration.paper.helpers import GOLDEN_KEY, KIOSK_ID, example_filings

TRUST = [GOLDEN_KEY.public_key()]


def test_folder_printer_leaves_escpos_png_and_pdf_per_job(
    folder_printer: FolderPrinter, tmp_path: Path
) -> None:
    filing = example_filings()["move_within_3_persons"]
    docs = render_documents(filing, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY)
    folder_printer.print_job(docs.escpos)
    folder_printer.print_job(docs.escpos)
    assert [d.name for d in folder_printer.job_dirs] == ["job-0001", "job-0002"]
    job = folder_printer.job_dirs[0]
    assert (job / "receipt.escpos").read_bytes() == docs.escpos
    with Image.open(job / "receipt.png") as png:
        decoded = decode_payload(read_qr_texts([png]), trusted_keys=TRUST)
    assert decoded.filing == filing and decoded.signature is SignatureStatus.VALID
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", str(job / "receipt.pdf"), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    assert list(tmp_path.glob("p*.png"))


def test_folder_printer_paper_out_writes_no_folder(folder_printer: FolderPrinter) -> None:
    folder_printer.set_state(PAPER_OUT)
    with pytest.raises(PaperOutError):
        folder_printer.print_job(b"\x1b@")
    assert list(folder_printer.folder.iterdir()) == []


def test_memory_printer_job_is_a_receipt_with_a_cut(memory_printer: MemoryPrinter) -> None:
    docs = render_documents(
        example_filings()["move_out"], kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY
    )
    memory_printer.print_job(docs.escpos)
    decoded = decode_job(memory_printer.jobs[0], memory_printer.profile.width_dots)
    assert decoded.cuts == ["full"]
    assert decode_payload(read_qr_texts([decoded.image])).filing_id == docs.filing_id
