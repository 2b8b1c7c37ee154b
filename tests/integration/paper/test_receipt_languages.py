"""The 控え and the counter ticket in the visit's language beside Japanese (issue 12).

Each receipt goes through the real ESC/POS encoder, is decoded back into an image and searched
(OCR-free, ``printed_lines``) for the exact lines the visit language must add: a line is printed
where its ink, drawn alone with the same font at the same place, appears on the paper. Japanese
comes first, each visit-language line right below its Japanese one. Pictures of ja, vi and ne
land in artifacts/paper/languages/.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image

from kiosk.forms.model import CardTask, Filing
from kiosk.forms.render.form import RECEIPT_SIZES
from kiosk.forms.render.labels import Label, Labels
from kiosk.forms.render.receipt import (
    receipt_escpos,
    render_receipt,
)
from kiosk.hardware.printer.profiles import TM_T20II
from kiosk.hardware.printer.raster_decode import decode_job
from tests.integration.paper.helpers import example_filings
from tests.integration.paper.printed_lines import ink, line_of, next_line, printed_at, same

LANGUAGES = ["ja", "ja-x-easy", "en", "zh-Hans", "ko", "vi", "ne", "fil"]
LOOKED_AT = ("ja", "vi", "ne")
PARTS = ["H12C-RECEIPT-LANGUAGE-TEST"]


def _filing(language: str) -> Filing:
    # 3 members, two with card work (券面記載事項変更・署名用電子証明書 and their PINs), one without
    return dataclasses.replace(example_filings()["move_within_3_persons"], language=language)


def _paper(language: str) -> tuple[Image.Image, Image.Image]:
    """The decoded paper picture and its ink (white on black)."""
    receipt = render_receipt(_filing(language), PARTS, TM_T20II)
    decoded = decode_job(receipt_escpos(receipt), TM_T20II.width_dots)
    assert decoded.cuts == ["full"]
    return decoded.image, ink(decoded.image)


@pytest.fixture(scope="module")
def papers(artifacts_dir: Path) -> dict[str, tuple[Image.Image, Image.Image]]:
    out = {lang: _paper(lang) for lang in LANGUAGES}
    folder = artifacts_dir / "paper" / "languages"
    folder.mkdir(parents=True, exist_ok=True)
    for lang in LOOKED_AT:
        out[lang][0].save(folder / f"receipt_{lang}.png")
    return out


Papers = dict[str, tuple[Image.Image, Image.Image]]


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "ja"])
def test_ticket_lines_in_the_visit_language_below_the_japanese(
    papers: Papers, language: str
) -> None:
    lab = Labels(language)
    _image, paper = papers[language]
    small = RECEIPT_SIZES.small
    for pin in (Label.PIN_JUKI, Label.PIN_SIGNATURE):
        ja_at = printed_at(paper, line_of(f"　{lab.ja(Label.PIN)}: {lab.ja(pin)}", small))
        other_at = printed_at(paper, line_of(f"　{lab.other(Label.PIN)}: {lab.other(pin)}", small))
        assert len(ja_at) == 2, f"{language}: Japanese PIN line {pin} printed {len(ja_at)}×"
        assert len(other_at) == 2, f"{language}: {pin} line in the visit language missing"
        assert next_line(ja_at, other_at, small), f"{language}: {pin} not below the Japanese"
    value = RECEIPT_SIZES.value
    tasks_ja = line_of("　券面記載事項変更・署名用電子証明書", value)
    tasks_other = line_of(
        "　" + "・".join(lab.other(t) for t in (CardTask.SURFACE_UPDATE,
                                                CardTask.SIGNATURE_CERTIFICATE)), value
    )  # fmt: skip
    assert next_line(printed_at(paper, tasks_ja), printed_at(paper, tasks_other), value)
    if lab.other(Label.NONE) == "なし":
        return  # やさしい日本語 says なし too: printed once
    none_ja = printed_at(paper, line_of("　なし", value))
    none_other = printed_at(paper, line_of(f"　{lab.other(Label.NONE)}", value))
    assert len(none_ja) == 1, f"{language}: なし printed {len(none_ja)}×"
    assert next_line(none_ja, none_other, value), f"{language}: なし without its line below"


def test_japanese_visit_prints_japanese_only(papers: Papers) -> None:
    image, paper = papers["ja"]
    value = RECEIPT_SIZES.value
    assert len(printed_at(paper, line_of("　なし", value))) == 1
    for lang in ("vi", "en"):
        other = Labels(lang).other(Label.NONE)
        assert printed_at(paper, line_of(f"　{other}", value)) == []
    # every other language adds its lines below the Japanese ones: a longer paper
    for lang in LANGUAGES[1:]:
        assert papers[lang][0].height > image.height, lang


def test_every_language_prints_a_different_paper(papers: Papers) -> None:
    for i, a in enumerate(LANGUAGES):
        for b in LANGUAGES[i + 1 :]:
            assert not same(papers[a][1], papers[b][1]), f"{a} and {b} print the same paper"


def test_procedure_name_in_the_visit_language_on_its_own_line(papers: Papers) -> None:
    indent = RECEIPT_SIZES.label // 2
    for lang in ("vi", "ne", "ko", "zh-Hans", "en"):
        kind = _filing(lang).kind
        ja = line_of(f"住民異動届（{kind.label_ja}）", RECEIPT_SIZES.value, indent=indent)
        ja_at = printed_at(papers[lang][1], ja)
        other = line_of(f"　{Labels(lang).other(kind)}", RECEIPT_SIZES.value, indent=indent)
        assert next_line(ja_at, printed_at(papers[lang][1], other), RECEIPT_SIZES.value), lang
