"""Rendering the paper in a short-lived child process, so the UI process stays small.

The receipt and the A4 PDF are drawn at printer/print resolution with Pillow (well over 100 MB at
peak); a ``spawn`` child does it and returns only bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from kiosk.forms.codec import filing_from_json

RENDER_TIMEOUT_S = 120.0
RECEIPT_ESCPOS = "receipt.escpos"
RECEIPT_PNG = "receipt.png"
FORM_PDF = "form.pdf"


@dataclass(frozen=True, slots=True)
class RenderedPaper:
    """What printing and archiving need: bytes only."""

    filing_id: str
    escpos: bytes
    receipt_png: bytes
    form_pdf: bytes
    qr_parts: int

    def write(self, folder: Path) -> None:
        """Leave receipt.escpos, receipt.png and form.pdf in ``folder`` (the demo's paper)."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / RECEIPT_ESCPOS).write_bytes(self.escpos)
        (folder / RECEIPT_PNG).write_bytes(self.receipt_png)
        (folder / FORM_PDF).write_bytes(self.form_pdf)


def render_paper(
    filing_json: bytes, kiosk_id: str, key_path: str, profile_name: str, ward: str
) -> RenderedPaper:
    """Sign and render one filing (runs in the child; arguments are plain data).

    ``ward`` (区/市/町/村) fills the printed labels that name the municipality: a fresh child
    has only the tables as shipped (区), whatever the stand is set to.
    """
    from kiosk.forms.render.documents import render_documents
    from kiosk.hardware.printer.profiles import get_profile
    from kiosk.i18n.ward import set_ward
    from server_sync.devicekey import load_or_create_device_key

    set_ward(ward)

    docs = render_documents(
        filing_from_json(filing_json),
        kiosk_id=kiosk_id,
        private_key=load_or_create_device_key(Path(key_path)),
        profile=get_profile(profile_name),
    )
    png = io.BytesIO()
    docs.receipt.image.save(png, format="PNG", optimize=True)
    return RenderedPaper(
        docs.filing_id, docs.escpos, png.getvalue(), docs.pdf.data, len(docs.parts)
    )


def render_in_child(
    filing_json: bytes,
    kiosk_id: str,
    key_path: Path,
    profile_name: str,
    ward: str | None = None,
) -> RenderedPaper:
    """Run :func:`render_paper` in a fresh ``spawn`` process and wait for it (``ward``: the
    municipality word for the labels, this process's own when not given)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from kiosk.i18n.ward import current_ward

    word = ward or current_ward()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(render_paper, filing_json, kiosk_id, str(key_path), profile_name, word)
        return future.result(timeout=RENDER_TIMEOUT_S)
