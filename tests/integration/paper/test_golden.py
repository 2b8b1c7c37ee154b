"""Golden pictures of the example receipts and A4 forms (tolerant), both kept as artifacts.

Update after an intended layout change with::

    .venv/bin/python -m pytest tests/integration/paper/test_golden.py --update-golden
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image

from kiosk.forms.render.documents import render_documents
from kiosk.forms.render.pdf import PDF_DPI
from kiosk.forms.render.receipt import render_receipt
from kiosk.hardware.printer.profiles import TM_T20II
from tests.integration.paper.helpers import (
    GOLDEN,
    GOLDEN_KEY,
    KIOSK_ID,
    PRINTED_AT,
    all_filings,
    compare,
    golden_view,
)

FILINGS = all_filings()
UPDATE_COMMAND = ".venv/bin/python -m pytest tests/integration/paper/test_golden.py --update-golden"


@pytest.mark.parametrize("name", sorted(FILINGS))
def test_receipt_matches_golden(name: str, update_golden: bool, artifacts_dir: Path) -> None:
    docs = render_documents(
        FILINGS[name], kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY, printed_at=PRINTED_AT
    )
    out = artifacts_dir / "paper"
    out.mkdir(exist_ok=True)
    docs.receipt.image.save(out / f"{name}-receipt.png", optimize=True)
    docs.pdf.pages[0].convert("L").reduce(4).save(out / f"{name}-form-page1.png", optimize=True)
    assert PDF_DPI == 300
    view = golden_view(docs.receipt.image)
    golden_file = GOLDEN / f"{name}-receipt.png"
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        view.save(golden_file, optimize=True)
        return
    assert golden_file.exists(), f"no golden image {golden_file}; create it with: {UPDATE_COMMAND}"
    with Image.open(golden_file) as golden:
        ok, why = compare(view, golden)
    if not ok:
        view.save(out / f"{name}-receipt-MISMATCH-golden-view.png")
    assert ok, (
        f"{name}: the receipt differs from {golden_file} ({why}); the current picture is in {out}."
        f" If the change is intended, update the golden images with: {UPDATE_COMMAND}"
    )


#: the A4 form's golden view: page 1 at 150 dpi before the usual halving (≈ 75 dpi, 1 bit)
FORM_PREVIEW_REDUCE = 2


@pytest.mark.parametrize("name", sorted(FILINGS))
def test_form_page_one_matches_golden(name: str, update_golden: bool) -> None:
    docs = render_documents(
        FILINGS[name], kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY, printed_at=PRINTED_AT
    )
    view = golden_view(docs.pdf.pages[0].convert("L").reduce(FORM_PREVIEW_REDUCE))
    golden_file = GOLDEN / f"{name}-form.png"
    if update_golden:
        view.save(golden_file, optimize=True)
        return
    assert golden_file.exists(), f"no golden image {golden_file}; create it with: {UPDATE_COMMAND}"
    with Image.open(golden_file) as golden:
        ok, why = compare(view, golden)
    assert ok, f"{name}: the A4 form differs from {golden_file} ({why}); {UPDATE_COMMAND}"


def test_comparison_detects_a_changed_field_but_not_itself() -> None:
    filing = FILINGS["move_out"]
    parts = ["JK1:00000000:1/1:ABC:00000000"]  # the same code on both: only the field differs
    a = render_receipt(filing, parts, TM_T20II).image
    other_filer = dataclasses.replace(filing.filer, name="長谷川 美智子エリザベート")
    renamed = dataclasses.replace(filing, filer=other_filer)
    b = render_receipt(renamed, parts, TM_T20II).image
    assert compare(golden_view(a), golden_view(a))[0]
    ok, why = compare(golden_view(b), golden_view(a))
    assert not ok, why
