"""From a filing to everything printed: signed QR parts, receipt image + ESC/POS, A4 PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.forms.model import Filing
from kiosk.forms.payload import encode_payload
from kiosk.forms.render.pdf import RenderedPdf, render_pdf
from kiosk.forms.render.receipt import ReceiptImage, max_part_chars, receipt_escpos, render_receipt
from kiosk.hardware.printer.profiles import DEFAULT_PROFILE, PrinterProfile

RECEIPT_PNG = "receipt.png"
RECEIPT_ESCPOS = "receipt.escpos"
FORM_PDF = "form.pdf"


@dataclass(frozen=True, slots=True)
class PaperDocuments:
    """Everything the kiosk prints or stores for one filing."""

    filing_id: str
    parts: tuple[str, ...]
    receipt: ReceiptImage
    escpos: bytes
    pdf: RenderedPdf

    def summary(self) -> dict[str, Any]:
        """A JSON-able overview (no personal data: ids, sizes and code points only)."""
        return {
            "filing_id": self.filing_id,
            "profile": self.receipt.profile.name,
            "receipt": {
                "width_dots": self.receipt.image.width,
                "height_dots": self.receipt.image.height,
                "escpos_bytes": len(self.escpos),
            },
            "pdf": {"pages": len(self.pdf.pages), "bytes": len(self.pdf.data)},
            "qr": [
                {"part": i, "total": len(self.parts), "chars": len(p), "version": v}
                for i, (p, v) in enumerate(
                    zip(self.parts, self.receipt.qr_versions, strict=True), start=1
                )
            ],
            "missing_chars": [
                {"codepoints": m.codepoints, "kind": m.kind.value} for m in self.receipt.missing
            ],
        }


def render_documents(
    filing: Filing,
    *,
    kiosk_id: str,
    private_key: Ed25519PrivateKey,
    profile: PrinterProfile = DEFAULT_PROFILE,
    printed_at: datetime | None = None,
) -> PaperDocuments:
    """Sign the filing into QR parts sized for the profile, then render receipt and PDF."""
    parts = encode_payload(
        filing,
        kiosk_id=kiosk_id,
        private_key=private_key,
        max_part_chars=max_part_chars(profile),
        printed_at=printed_at,
    )
    receipt = render_receipt(filing, parts, profile)
    return PaperDocuments(
        filing_id=filing.id,
        parts=tuple(parts),
        receipt=receipt,
        escpos=receipt_escpos(receipt),
        pdf=render_pdf(filing, parts),
    )


def write_documents(docs: PaperDocuments, out_dir: Path) -> dict[str, Path]:
    """Write receipt.png, receipt.escpos and form.pdf into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        RECEIPT_PNG: out_dir / RECEIPT_PNG,
        RECEIPT_ESCPOS: out_dir / RECEIPT_ESCPOS,
        FORM_PDF: out_dir / FORM_PDF,
    }
    docs.receipt.image.save(paths[RECEIPT_PNG], optimize=True)
    paths[RECEIPT_ESCPOS].write_bytes(docs.escpos)
    paths[FORM_PDF].write_bytes(docs.pdf.data)
    return paths
