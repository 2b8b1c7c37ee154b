"""Japanese-first error details (what the error page and the scan bar show)."""

from __future__ import annotations

import pytest

from server_sync.intake.console.errors import CsrfError, NotFoundError
from server_sync.intake.console.messages import DETAIL_JA, Detail, error_detail, split_detail


@pytest.mark.parametrize(
    ("code", "detail", "expected"),
    [
        ("bad_scan", "コードが空です (empty scan)", Detail("コードが空です", "empty scan")),
        (
            "bad_input",
            "日付は YYYY-MM-DD で入力してください (dates as YYYY-MM-DD)",
            Detail("日付は YYYY-MM-DD で入力してください", "dates as YYYY-MM-DD"),
        ),
        ("bad_scan", "読み取りが不完全です", Detail("読み取りが不完全です", "")),
        ("not_found", "no such filing", Detail("該当する届出がありません", "no such filing")),
        ("bad_input", "something new", Detail("入力が正しくありません", "something new")),
        ("mystery", "something new", Detail("処理できませんでした", "something new")),
    ],
)
def test_split_detail(code: str, detail: str, expected: Detail) -> None:
    assert split_detail(code, detail) == expected


def test_error_detail_of_typed_errors_and_one_line_text() -> None:
    detail = error_detail(CsrfError("missing or wrong CSRF token; reload the page"))
    assert detail.ja.startswith("操作の確認情報が無効です")
    assert detail.text == f"{detail.ja} (missing or wrong CSRF token; reload the page)"
    assert error_detail(NotFoundError("読み取れません")).text == "読み取れません"


def test_every_known_english_detail_has_japanese() -> None:
    for english, japanese in DETAIL_JA.items():
        assert english.isascii() and not japanese.isascii()
