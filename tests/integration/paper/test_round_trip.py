"""Real round trips: filing → ESC/POS bytes / PNG / PDF → decoded image → zxing-cpp → filing."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kiosk.forms.payload import PartCollector, SignatureStatus, decode_payload, split_binary
from kiosk.forms.render.documents import render_documents, write_documents
from kiosk.forms.render.qr import read_qr_texts
from kiosk.forms.render.receipt import receipt_escpos, render_receipt
from kiosk.hardware.printer.profiles import TM_T20II, TM_T88V
from kiosk.hardware.printer.raster_decode import decode_job
from tests.fixtures.printer import EscposDecoder
from tests.integration.paper.helpers import (
    GOLDEN_KEY,
    KIOSK_ID,
    PRINTED_AT,
    all_filings,
    example_filings,
)

TRUST = [GOLDEN_KEY.public_key()]
FILINGS = all_filings()


@pytest.fixture(scope="module")
def documents() -> dict[str, object]:
    return {
        name: render_documents(f, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY, printed_at=PRINTED_AT)
        for name, f in FILINGS.items()
    }


@pytest.mark.parametrize("name", sorted(FILINGS))
def test_escpos_bytes_decode_back_to_the_identical_signed_filing(
    name: str, documents: dict[str, object], escpos_to_image: EscposDecoder, artifacts_dir: Path
) -> None:
    docs = documents[name]
    picture = escpos_to_image(docs.escpos, TM_T20II.width_dots)  # type: ignore[attr-defined]
    # the printed picture is the rendered receipt, dot for dot
    rendered = docs.receipt.image  # type: ignore[attr-defined]
    assert picture.crop((0, 0, *rendered.size)).tobytes() == rendered.tobytes()
    decoded = decode_payload(read_qr_texts([picture]), trusted_keys=TRUST)
    assert decoded.signature is SignatureStatus.VALID
    assert decoded.filing == FILINGS[name]
    assert decoded.kiosk_id == KIOSK_ID
    out = artifacts_dir / "paper"
    out.mkdir(exist_ok=True)
    picture.save(out / f"{name}-printed.png")


@pytest.mark.parametrize("name", sorted(FILINGS))
def test_receipt_png_and_pdf_decode_back(
    name: str, documents: dict[str, object], tmp_path: Path
) -> None:
    docs = documents[name]
    files = write_documents(docs, tmp_path)  # type: ignore[arg-type]
    with Image.open(files["receipt.png"]) as png:
        from_png = decode_payload(read_qr_texts([png]), trusted_keys=TRUST)
    assert from_png.filing == FILINGS[name] and from_png.signature is SignatureStatus.VALID
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(files["form.pdf"]), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    pages = [Image.open(p) for p in sorted(tmp_path.glob("page-*.png"))]
    assert len(pages) == len(docs.pdf.pages) >= 1  # type: ignore[attr-defined]
    assert pages[0].size == (1240, 1754)  # A4 at 150 dpi
    from_pdf = decode_payload(read_qr_texts(pages), trusted_keys=TRUST)
    assert from_pdf.filing == FILINGS[name] and from_pdf.signature is SignatureStatus.VALID


def test_multi_part_codes_on_a_tm_t88_receipt_decode_in_any_order() -> None:
    filing = example_filings()["move_in_6_members"]
    from kiosk.forms.payload import encode_payload

    parts = encode_payload(
        filing, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY, max_part_chars=500, printed_at=PRINTED_AT
    )
    assert len(parts) >= 3
    receipt = render_receipt(filing, parts, TM_T88V)
    assert receipt.image.width == 512 and len(receipt.qr_versions) == len(parts)
    picture = decode_job(receipt_escpos(receipt), 512).image
    texts = read_qr_texts([picture])
    assert sorted(texts) == sorted(parts)
    decoded = decode_payload(reversed(texts), trusted_keys=TRUST)
    assert decoded.filing == filing and decoded.signature is SignatureStatus.VALID


def _tampered_parts(parts: list[str]) -> list[str]:
    collector = PartCollector()
    for p in parts:
        collector.add(p)
    binary = bytearray(collector.binary())
    binary[-10] ^= 0x01  # one bit of the signature
    return split_binary(bytes(binary), max(len(p) for p in parts) + 20)


def test_tampered_payload_printed_and_scanned_reports_invalid(
    escpos_to_image: EscposDecoder,
) -> None:
    filing = example_filings()["move_out"]
    docs = render_documents(
        filing, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY, printed_at=PRINTED_AT
    )
    forged = _tampered_parts(list(docs.parts))
    receipt = render_receipt(filing, forged, TM_T20II)
    picture = escpos_to_image(receipt_escpos(receipt), 576)
    decoded = decode_payload(read_qr_texts([picture]), trusted_keys=TRUST)
    assert decoded.signature is SignatureStatus.INVALID
    # without trusted keys the same bytes are merely unchecked
    assert decode_payload(read_qr_texts([picture])).signature is SignatureStatus.UNCHECKED


def test_missing_glyphs_are_printed_as_geta_and_listed() -> None:
    docs = render_documents(
        FILINGS["hard_missing_glyphs_en"], kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY
    )
    listed = {(m.codepoints, m.kind.value) for m in docs.receipt.missing}
    assert ("U+0E1F", "no_glyph") in listed
    assert ("U+9AD9 U+E01EF", "no_variant") in listed
    assert not any("U+845B" in c for c, _ in listed)  # 葛+VS19 exists in IPAmj: not listed
    assert {(m.codepoints, m.kind.value) for m in docs.pdf.missing} == listed


def test_every_example_has_no_missing_glyphs() -> None:
    for name, filing in example_filings().items():
        receipt = render_receipt(filing, ["JK1:00000000:1/1:ABC:00000000"], TM_T20II)
        assert receipt.missing == (), name


def test_receipt_is_exactly_profile_width_and_bilingual_for_foreign_visits() -> None:
    filing = example_filings()["move_within_3_persons"]
    parts = ["JK1:00000000:1/1:ABC:00000000"]
    ja = render_receipt(filing, parts, TM_T20II)
    en = render_receipt(dataclasses.replace(filing, language="en"), parts, TM_T20II)
    narrow = render_receipt(filing, parts, TM_T88V)
    assert ja.image.width == 576 and narrow.image.width == 512
    assert en.image.height > ja.image.height  # the English line under the title + wider labels


def test_codes_survive_a_camera_like_capture_of_the_receipt() -> None:
    """0.8 capture pixels per printer dot, blur (dot gain), JPEG: what a counter scanner sees."""
    import io

    from PIL import ImageFilter

    filing = example_filings()["move_in_6_members"]
    docs = render_documents(
        filing, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY, printed_at=PRINTED_AT
    )
    picture = decode_job(docs.escpos, 576).image.convert("L")
    small = picture.resize((round(picture.width * 0.8), round(picture.height * 0.8)))
    blurred = small.filter(ImageFilter.GaussianBlur(0.8))
    buffer = io.BytesIO()
    blurred.save(buffer, "JPEG", quality=70)
    captured = Image.open(io.BytesIO(buffer.getvalue()))
    decoded = decode_payload(read_qr_texts([captured]), trusted_keys=TRUST)
    assert decoded.filing == filing and decoded.signature is SignatureStatus.VALID


def test_names_outside_jis_x0208_are_listed_for_the_clerk_with_code_points() -> None:
    from kiosk.forms.render.copy import build_copy
    from kiosk.forms.render.form import RECEIPT_SIZES
    from kiosk.forms.render.pdf import PDF_DPI
    from kiosk.forms.render.sheet import build_sheet, sheet_sizes
    from tests.integration.paper.test_sheet import texts as tree_texts

    def texts(filing: object) -> list[str]:
        receipt = build_copy(filing, [], RECEIPT_SIZES)  # type: ignore[arg-type]
        sheet = build_sheet(filing, [], sheet_sizes(PDF_DPI))  # type: ignore[arg-type]
        return tree_texts(receipt.blocks) + tree_texts(sheet.blocks)  # type: ignore[arg-type]

    gaiji = texts(example_filings()["move_within_gaiji_names"])
    assert gaiji.count("𠮷 (U+20BB7)・髙 (U+9AD9)") == 2  # on the receipt and on the A4 form
    assert not any("(U+" in t for t in texts(example_filings()["move_within_3_persons"]))
