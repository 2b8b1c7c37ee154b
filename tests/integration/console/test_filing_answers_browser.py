"""The filing page in headless Chromium (real uvicorn intake): the late issue-11 answers, their
finding in Japanese, and a card procedure headed as the request it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from kiosk.forms.codec import filing_from_json

from .conftest import Console

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "filings"


def _fields(console: Console) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in console.driver.find_elements(By.CSS_SELECTOR, "#fields tr"):
        label = row.find_element(By.CSS_SELECTOR, "th").text.split()[0]
        out[label] = row.find_element(By.CSS_SELECTOR, "td").text
    return out


def test_answers_and_card_heading_in_the_browser(console: Console) -> None:
    abroad = filing_from_json((EXAMPLES / "move_out_abroad_head_only.json").read_bytes())
    seal = filing_from_json((EXAMPLES / "card" / "seal_card_binding.json").read_bytes())
    console.post_filing(abroad)
    console.post_filing(seal)
    console.login()
    console.wait_for("#scan")

    console.driver.get(console.url(f"/filings/{abroad.id}"))
    console.wait_for("#fields")
    assert console.text("#filing-heading").startswith("住民異動届 — 転出")
    shown = _fields(console)
    assert shown["1年以上の国外滞在"] == "はい"
    assert shown["残る人数"] == "3人（うち15歳未満2人）"
    assert shown["残る世帯の世帯主"] == "職権で（15歳以上の1名）"
    auto = console.text("li.finding[data-code='household.origin.automatic_head']")
    assert "その人が自動的に世帯主になります" in auto
    console.screenshot("filing-abroad-automatic-head")

    console.driver.get(console.url(f"/filings/{seal.id}"))
    console.wait_for("#fields")
    heading = console.text("#filing-heading")
    assert heading.startswith("マイナンバーカードを印鑑登録証として利用する申請")
    assert "住民異動届" not in heading
    assert _fields(console)["申請の種類"] == "マイナンバーカードを印鑑登録証として利用する申請"
    console.screenshot("filing-seal-card-binding")
