"""The console names a field the same way in its finding list and in the paper comparison."""

from __future__ import annotations

import json

from server_sync.intake.console.compare import differences, label_of
from server_sync.intake.console.sheet import field_label


def test_a_member_field_is_named_by_its_row_number_in_japanese() -> None:
    assert label_of("members[1].name") == "世帯員2 氏名"
    assert field_label("members[1].foreign.status") == "世帯員2 外国人住民の事項 在留資格"
    assert field_label("new_address.katagaki") == label_of("new_address.katagaki") == "新住所 方書"


def test_the_paper_comparison_names_format_2_fields_too() -> None:
    paper = {"members": [{"foreign": {"residence_card_number": "AB12345678CD"}}]}
    posted = {"members": [{"foreign": {"residence_card_number": "AB12345678CE"}}]}
    (difference,) = differences(json.dumps(paper), json.dumps(posted))
    assert difference.label == "世帯員1 外国人住民の事項 在留カード等の番号"
