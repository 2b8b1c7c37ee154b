"""The A4 住民異動届 and the 控え: one page up to 4 members, 確認事項, 受付番号, no data leaks."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from kiosk.forms.ids import receipt_number, receipt_number_display, receipt_number_ok
from kiosk.forms.messages import message
from kiosk.forms.model import Filing, OriginHousehold
from kiosk.forms.payload import decode_payload
from kiosk.forms.render.copy import build_copy
from kiosk.forms.render.documents import render_documents, write_documents
from kiosk.forms.render.form import RECEIPT_SIZES
from kiosk.forms.render.layout import (
    Boxed,
    Column,
    EmptyBox,
    FittedLine,
    Row,
    StampCells,
    TextBlock,
)
from kiosk.forms.render.notes import paper_findings
from kiosk.forms.render.pdf import PDF_DPI
from kiosk.forms.render.qr import read_qr_texts
from kiosk.forms.render.sheet import build_sheet, sheet_sizes
from tests.integration.paper.helpers import GOLDEN_KEY, KIOSK_ID, PRINTED_AT, example_filings

FILINGS = example_filings()


def texts(blocks: list[object]) -> list[str]:
    """Every text drawn by a block tree, in drawing order."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, TextBlock | FittedLine):
            out.append(b.text)
        elif isinstance(b, Column | Boxed):
            out += texts(list(b.inner))
        elif isinstance(b, Row):
            for cell in b.cells:
                out += texts(list(cell))
        elif isinstance(b, EmptyBox):
            out.append(b.label.text)
        elif isinstance(b, StampCells):
            out += [b.title.text, *(c.text for c in b.captions)]
    return out


def _sheet_text(filing: Filing) -> str:
    return "\n".join(texts(build_sheet(filing, [], sheet_sizes(PDF_DPI)).blocks))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(FILINGS))
def test_one_page_up_to_four_members_and_the_code_on_page_one(name: str, tmp_path: Path) -> None:
    filing = FILINGS[name]
    docs = render_documents(
        filing, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY, printed_at=PRINTED_AT
    )
    expected = 1 if len(filing.members) <= 4 else 2
    assert len(docs.pdf.pages) == expected
    # the printed PDF read back: page 1 alone carries the whole signed filing
    files = write_documents(docs, tmp_path)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(files["form.pdf"]),
         str(tmp_path / "p")],
        check=True,
    )  # fmt: skip
    (page,) = sorted(tmp_path.glob("p*.png"))
    with Image.open(page) as image:
        assert decode_payload(read_qr_texts([image])).filing == filing


def test_every_finding_is_in_the_checks_box_in_japanese_and_the_visit_language() -> None:
    filing = FILINGS["move_in_foreign_household"]
    text = _sheet_text(filing)
    findings = paper_findings(filing)
    assert len(findings) >= 5
    assert "確認事項" in text
    for finding in findings:
        assert message(finding, "ja") in text
        assert message(finding, "en") in text  # vi labels fall back to English texts


def test_a_finding_about_one_member_names_them_in_the_checks_box() -> None:
    base = FILINGS["move_within_3_persons"]
    filing = dataclasses.replace(
        base, members=tuple(dataclasses.replace(m, furigana="") for m in base.members)
    )
    missing = message(paper_findings(filing)[0], "ja")
    assert missing == "フリガナを入力してください。"
    lines = [line for line in _sheet_text(filing).splitlines() if missing in line]
    # three members without a reading: three different lines, each naming its member row
    assert len(lines) == 3 and len(set(lines)) == 3
    for number, member in enumerate(base.members, start=1):
        assert any(f"世帯員{number} {member.name}：{missing}" in line for line in lines)


def test_the_sheet_shows_the_v2_fields() -> None:
    text = _sheet_text(FILINGS["move_in_special_inside_window"])
    assert "特例転出（マイナンバーカード）" in text and "令和8年11月20日" in text
    assert "東京都新宿区新宿三丁目5番地" in text  # 本籍
    partial = _sheet_text(FILINGS["move_out_partial_new_head"])
    assert "加藤 大輝" in partial and "一部（残る世帯あり）" in partial and "加藤 修" in partial
    assert "住所の変更なし" in _sheet_text(FILINGS["head_change"])
    one = FILINGS["move_out_partial_new_head"]
    one = dataclasses.replace(
        one, household=dataclasses.replace(one.household, origin=OriginHousehold(None, staying=1))
    )
    assert "残る1人（職権で世帯主）" in _sheet_text(one)
    foreign = _sheet_text(FILINGS["move_in_foreign_household"])
    assert "AB12345678CD" in foreign and "中長期在留者" in foreign


def test_a_katakana_name_is_printed_once_with_room_for_the_kanji() -> None:
    base = FILINGS["move_within_3_persons"]
    typed = dataclasses.replace(base.members[2], name="ヤマダ ヒナ", furigana="ヤマダ ヒナ")
    text = _sheet_text(dataclasses.replace(base, members=(*base.members[:2], typed)))
    assert text.count("ヤマダ ヒナ") == 1 and "漢字（職員記入）" in text
    assert "ヤマダ ヒナヤマダ ヒナ" not in text


def test_receipt_number_is_short_deterministic_and_checked() -> None:
    filing = FILINGS["move_within_3_persons"]
    number = receipt_number(filing.id)
    assert len(number) == 8 and number == receipt_number(filing.id)
    assert receipt_number_ok(number) and receipt_number_ok(number.lower())
    for i in range(8):
        for other in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
            if other != number[i]:
                assert not receipt_number_ok(number[:i] + other + number[i + 1 :])
    numbers = {receipt_number(f.id) for f in FILINGS.values()}
    assert len(numbers) == len(FILINGS)


def test_the_copy_names_the_number_and_what_to_bring_but_no_other_personal_data() -> None:
    filing = FILINGS["move_in_foreign_household"]
    content = build_copy(filing, [], RECEIPT_SIZES)
    text = "\n".join(texts(content.blocks))
    assert receipt_number_display(receipt_number(filing.id)) in text
    assert "在留カード・特別永住者証明書" in text and "転出証明書（原本）" in text
    assert "住民基本台帳用（数字4桁）" in text  # which PIN the card tasks need
    for secret in ("1992", "AB12345678CD", "百人町", "千葉県", "090-1234-5678", "ベトナム"):
        assert secret not in text, secret
    assert "NGUYEN VAN MINH" in text and "TRAN THI LAN" in text


def test_the_copy_of_a_card_request_names_the_applicant_and_no_empty_card_work() -> None:
    from kiosk.forms.codec import filing_from_json

    card = Path(__file__).parents[3] / "examples" / "filings" / "card" / "seal_card_binding.json"
    request = filing_from_json(card.read_bytes())
    text = "\n".join(texts(build_copy(request, [], RECEIPT_SIZES).blocks))
    assert "申請者" in text and "届出人" not in text
    # the 手続 line says what the counter does: no "none" line under the holder's name
    assert request.members[0].name in text and "なし" not in text
    moved = "\n".join(texts(build_copy(FILINGS["move_within_3_persons"], [], RECEIPT_SIZES).blocks))
    assert "届出人" in moved and "なし" in moved  # a move still says who has no card work
