"""The paper drawn in the render child names the stand's municipality (市/町/村), not the 区 its
label tables ship with: the child is told the word and the printed line is found on the picture."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from PIL import Image

from kiosk.flows.rendering import render_in_child
from kiosk.forms.codec import canonical_bytes
from kiosk.forms.render.form import RECEIPT_SIZES
from kiosk.hardware.printer.profiles import TM_T20II
from kiosk.i18n.ward import label_table
from tests.integration.paper.helpers import example_filings
from tests.integration.paper.printed_lines import ink, line_of, printed_at

KEY = "FilingKind.move_within"


def _kind_line_printed(paper: Image.Image, text: str) -> bool:
    indent = RECEIPT_SIZES.label // 2
    return bool(printed_at(paper, line_of(f"\u3000{text}", RECEIPT_SIZES.value, indent=indent)))


def test_a_city_stand_prints_city_in_the_visit_language(tmp_path: Path) -> None:
    filing = dataclasses.replace(example_filings()["move_within_3_persons"], language="en")
    city, ward = label_table("en", "市")[KEY], label_table("en", "区")[KEY]
    assert city != ward
    paper = render_in_child(
        canonical_bytes(filing), "kiosk-test", tmp_path / "device.key", TM_T20II.name, "市"
    )
    picture = ink(Image.open(io.BytesIO(paper.receipt_png)))
    assert _kind_line_printed(picture, city), city
    assert not _kind_line_printed(picture, ward), ward
