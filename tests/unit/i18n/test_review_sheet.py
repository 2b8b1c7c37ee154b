"""The per-language review sheet: every string with its Japanese, its screen and screenshot."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kiosk.i18n.languages import LANGUAGES
from kiosk.i18n.review_sheet import COLUMNS, main
from kiosk.screens.last_try import TIME_LIMIT

LAST_TRY = TIME_LIMIT  # the last-try screen's words (its real time limit)


def test_one_sheet_per_language_with_screens_and_screenshots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shots = tmp_path / "shots"
    shots.mkdir()
    (shots / "tour_all_screens_ja_easy_004_last_try.png").write_bytes(b"png")
    (shots / "tour_all_screens_ja_004_last_try.png").write_bytes(b"png")
    out = tmp_path / "sheets"
    assert main([str(out), "--screenshots", str(shots)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["languages"]) == {lang.code for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert (out / f"{lang.code}.csv").is_file() and (out / f"{lang.code}.html").is_file()
    with (out / "ja_easy.csv").open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert tuple(table[0]) == COLUMNS
    row = dict(zip(COLUMNS, next(r for r in table if r[0] == LAST_TRY), strict=True))
    assert row["screen"] == "last_try"
    assert row["japanese"].startswith("急がなくて大丈夫です。")
    assert "《大丈夫｜だいじょうぶ》" in row["translation"] and "大丈夫です" in row["shown"]
    assert row["screenshot"].endswith("tour_all_screens_ja_easy_004_last_try.png")  # not ja's
    assert row["checks"] == ""
    flagged = [r for r in table[1:] if r[-1] and r[-1] != "untranslated"]
    assert flagged == []
    html = (out / "ja_easy.html").read_text(encoding="utf-8")
    assert 'lang="ja-x-easy"' in html and "tour_all_screens_ja_easy_004_last_try.png" in html


def test_the_ward_word_is_shown_filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--languages", "en", "--ward", "市", "--screenshots", "none"]) == 0
    with (tmp_path / "en.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r[0]: r for r in csv.reader(fh)}
    assert rows["Moving within this city (転居)"][4] == "Moving within this city (転居)"
    assert rows["Choose a new address in this ward."][3] == "Choose a new address in this {ward}."
    assert rows["Choose a new address in this ward."][4] == "Choose a new address in this city."


def test_an_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path), "--languages", "xx"])
    assert exit_info.value.code == 2
