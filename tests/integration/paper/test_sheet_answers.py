"""The late issue-11 answers on the printed A4 form, read back from the PDF's page 1.

国外転出 (1年以上の国外滞在), the 委任状の日付 of a 任意代理人 and the household left behind
(残る人数, its 世帯主 — declared or by 職権). Each text is drawn alone with the sheet's font and
size and searched for in the page picture the written PDF embeds (OCR-free, exact ink).
"""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps

from kiosk.forms.fonts import FontRole
from kiosk.forms.model import Filing, OriginHousehold, PersonName, Standing
from kiosk.forms.render.documents import render_documents, write_documents
from kiosk.forms.render.layout import WHITE, MissingLog, Style, text_block, to_one_bit
from kiosk.forms.render.pdf import PDF_DPI
from kiosk.forms.render.sheet import (
    ADULT_STAYER,
    ATTORNEY_DATE_AT_COUNTER,
    ONE_STAYER,
    build_sheet,
    sheet_sizes,
)
from tests.integration.paper.helpers import GOLDEN_KEY, KIOSK_ID, PRINTED_AT, example_filings
from tests.integration.paper.test_sheet import texts

FILINGS = example_filings()
SIZES = sheet_sizes(PDF_DPI)
LABEL = Style(FontRole.TEXT, SIZES.label)
VALUE = Style(FontRole.TEXT, SIZES.value)
NAME = Style(FontRole.NAME, SIZES.name)
#: a neighbour's ink inside the text's box may be at most this share of the text's own ink
EXTRA_INK_SHARE = 0.02


def _ink(image: Image.Image) -> Image.Image:
    """Ink as 255 on 0 ("L"): one byte per dot, so rows can be searched as bytes."""
    return ImageOps.invert(image.convert("L")).point(lambda v: 255 if v >= 128 else 0)


def _alone(text: str, style: Style) -> Image.Image:
    """The text drawn alone the way the sheet draws it, cropped to its ink."""
    block = text_block(text, style, MissingLog())
    width = 2000
    canvas = Image.new("L", (width + 20, block.height(width) + 20), WHITE)
    block.draw(canvas, 10, 10, width)
    ink = _ink(to_one_bit(canvas))
    box = ink.getbbox()
    assert box is not None
    return ink.crop(box)


def _inked(image: Image.Image) -> int:
    return image.histogram()[255]


def printed(page: Image.Image, text: str, style: Style) -> bool:
    """The text's ink is on the page exactly as drawn alone, with hardly any other ink in its box.

    Anchored on the text's most inked row (searched as bytes in every page row), then the whole
    box is compared.
    """
    template = _alone(text, style)
    w, h = template.size
    rows = [template.crop((0, y, w, y + 1)) for y in range(h)]
    anchor = max(range(h), key=lambda y: _inked(rows[y]))
    needle = rows[anchor].tobytes()
    own = _inked(template)
    allowed = max(4, int(own * EXTRA_INK_SHARE))
    data = page.tobytes()
    for y in range(anchor, page.height - (h - anchor) + 1):
        line = data[y * page.width : (y + 1) * page.width]
        x = line.find(needle)
        while x != -1:
            window = page.crop((x, y - anchor, x + w, y - anchor + h))
            missing = ImageChops.subtract(template, window)  # template ink absent on the page
            extra = ImageChops.subtract(window, template)
            if _inked(missing) == 0 and _inked(extra) <= allowed:
                return True
            x = line.find(needle, x + 1)
    return False


def page_one(filing: Filing, tmp_path: Path) -> Image.Image:
    """Page 1 of the written form.pdf, read back: its 1-bit page picture as the PDF embeds it.

    (``pdfimages`` gives the embedded CCITT picture dot for dot; ``pdftoppm`` resamples it.)
    """
    docs = render_documents(filing, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY,
                            printed_at=PRINTED_AT)  # fmt: skip
    assert len(docs.pdf.pages) == (1 if len(filing.members) <= 4 else 2)
    files = write_documents(docs, tmp_path)
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdfimages", "-png", "-f", "1", "-l", "1", str(files["form.pdf"]), str(prefix)],
        check=True,
    )  # fmt: skip
    (png,) = sorted(tmp_path.glob("page*.png"))
    with Image.open(png) as image:
        return _ink(image)


def _sheet_text(filing: Filing) -> str:
    return "\n".join(texts(build_sheet(filing, [], SIZES).blocks))  # type: ignore[arg-type]


def _with_origin(filing: Filing, origin: OriginHousehold) -> Filing:
    return dataclasses.replace(
        filing, household=dataclasses.replace(filing.household, origin=origin)
    )


def test_abroad_move_out_prints_the_one_year_answer(tmp_path: Path) -> None:
    abroad = FILINGS["move_out_abroad_head_only"]
    assert abroad.abroad_for_one_year_or_more is True
    page = page_one(abroad, tmp_path / "yes")
    assert printed(page, "1年以上の国外滞在", LABEL)
    assert printed(page, "はい", VALUE)
    unknown = dataclasses.replace(abroad, abroad_for_one_year_or_more=None)
    page = page_one(unknown, tmp_path / "unknown")
    assert printed(page, "未回答", VALUE) and not printed(page, "はい", VALUE)
    assert "いいえ" in _sheet_text(dataclasses.replace(abroad, abroad_for_one_year_or_more=False))
    # a move inside Japan never asks: no box
    page = page_one(FILINGS["move_out"], tmp_path / "domestic")
    assert not printed(page, "1年以上の国外滞在", LABEL)


def test_a_proxy_filing_prints_the_date_of_the_letter_of_attorney(tmp_path: Path) -> None:
    proxy = FILINGS["move_within_proxy_old_attorney"]
    assert proxy.filer.standing is Standing.PROXY
    assert proxy.filer.power_of_attorney_dated == date(2026, 7, 15)
    page = page_one(proxy, tmp_path / "dated")
    assert printed(page, "委任状の日付", LABEL)
    assert printed(page, "令和8年7月15日 (2026-07-15)", VALUE)
    undated = dataclasses.replace(
        proxy, filer=dataclasses.replace(proxy.filer, power_of_attorney_dated=None)
    )
    page = page_one(undated, tmp_path / "undated")
    assert printed(page, "委任状の日付", LABEL) and printed(page, ATTORNEY_DATE_AT_COUNTER, VALUE)
    # the resident filing for themselves has no 委任状
    page = page_one(FILINGS["move_within_3_persons"], tmp_path / "self")
    assert not printed(page, "委任状の日付", LABEL)


def test_the_remaining_household_prints_its_size_and_head(tmp_path: Path) -> None:
    # the 世帯主 leaves abroad; one adult and two children stay: the adult becomes 世帯主
    auto = FILINGS["move_out_abroad_head_only"]
    assert auto.household.origin == OriginHousehold(None, staying=3, staying_children=2)
    page = page_one(auto, tmp_path / "auto")
    assert printed(page, "残る人数", LABEL) and printed(page, "残る世帯の世帯主", LABEL)
    assert printed(page, "3人（うち15歳未満2人）", VALUE)
    assert printed(page, ADULT_STAYER, NAME)
    # two adults stay: the declared remaining 世帯主 is printed, not the 職権 line
    declared = FILINGS["move_out_partial_new_head"]
    page = page_one(declared, tmp_path / "declared")
    assert printed(page, "3人", VALUE) and printed(page, "加藤 大輝", NAME)
    assert not printed(page, ADULT_STAYER, NAME)
    # a whole household moving has no remaining household
    page = page_one(FILINGS["move_in_japanese_honseki"], tmp_path / "whole")
    assert not printed(page, "残る人数", LABEL)


def test_remaining_head_texts_for_every_case() -> None:
    base = FILINGS["move_out_partial_new_head"]
    one = _sheet_text(_with_origin(base, OriginHousehold(None, staying=1)))
    assert ONE_STAYER in one and "1人" in one
    two_adults = _sheet_text(_with_origin(base, OriginHousehold(None, staying=2)))
    assert ADULT_STAYER not in two_adults and ONE_STAYER not in two_adults
    undeclared = _sheet_text(_with_origin(base, OriginHousehold(PersonName("加藤 大輝"))))
    assert "未申告" in undeclared and "加藤 大輝" in undeclared
    # the old 世帯主 stays behind (only the wife moves): the remaining household keeps him
    wife = dataclasses.replace(base, members=base.members[1:])
    stays = _sheet_text(_with_origin(wife, OriginHousehold(None, staying=3)))
    assert "加藤 修（変更なし）" in stays


@pytest.mark.parametrize("language", ["ja", "vi"])
def test_four_members_with_every_new_item_still_fit_on_one_page(language: str) -> None:
    """The worst case: four members, a proxy with a dated 委任状, a remaining household, abroad."""
    big = FILINGS["move_in_6_members"]
    abroad = FILINGS["move_out_abroad_head_only"]
    proxy = FILINGS["move_within_proxy_old_attorney"]
    filing = dataclasses.replace(
        abroad,
        members=big.members[:4],
        filer=proxy.filer,
        language=language,
        related=big.related,
    )
    docs = render_documents(filing, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY,
                            printed_at=PRINTED_AT)  # fmt: skip
    assert len(docs.pdf.pages) == 1
