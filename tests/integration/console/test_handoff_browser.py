"""Issue 17 points 6–8 in headless Chromium against the real uvicorn intake: the 受付票 (A4 print),
the daily summary, the 住記 export dialog, and the scanner's edge cases (half-read code, another
filing's code mid-way)."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import Answer, CardTask, Filing, RelatedAnswer, RelatedProcedure
from server_sync.intake import store
from server_sync.intake.records import FilingStatus
from tests.unit.console.helpers import make_filing, qr_parts

from .a11y_tools import contrast_failures, run_axe
from .conftest import WAIT_S, Console

pytestmark = [pytest.mark.browser, pytest.mark.slow]
A4_MEDIABOX = re.compile(rb"/MediaBox \[0 0 59[45](?:\.\d+)? 84[12](?:\.\d+)?\]")
SMALL_PARTS = 400  # forces a multi-part code


def handoff_filing() -> Filing:
    """A 転居 of 3 in Vietnamese, with card work for two and two 窓口で確認 answers."""
    filing = make_filing(3)
    head, spouse, child = filing.members
    members = (
        replace(
            head, card_tasks=frozenset({CardTask.SURFACE_UPDATE, CardTask.SIGNATURE_CERTIFICATE})
        ),
        replace(spouse, card_tasks=frozenset({CardTask.CONTINUED_USE})),
        child,
    )
    related = (
        RelatedAnswer(RelatedProcedure.NATIONAL_HEALTH_INSURANCE, Answer.UNSURE),
        RelatedAnswer(RelatedProcedure.NATIONAL_PENSION, Answer.NO),
        RelatedAnswer(RelatedProcedure.CHILD_ALLOWANCE, Answer.YES),
        RelatedAnswer(RelatedProcedure.SCHOOL_ENROLMENT, Answer.UNSURE),
    )
    return replace(filing, members=members, related=related, language="vi")


def assert_accessible(console: Console, page: str) -> None:
    """axe-core and the contrast probe find nothing (as the accessibility tour requires)."""
    violations = run_axe(console.driver)
    assert not violations, f"{page}: " + "; ".join(f"{v.rule}: {v.help}" for v in violations)
    assert not contrast_failures(console.driver), page


def _open_slip(console: Console, filing: Filing) -> None:
    """Post ``filing`` as a kiosk, scan its code as a clerk, open its 受付票."""
    console.post_filing(filing)
    console.login()
    console.wait_for("#scan")
    (code,) = qr_parts(filing, console.kiosk_key)
    console.scan(code)
    console.wait_for("#slip-link")
    console.driver.find_element(By.ID, "slip-link").click()
    console.wait_for("#slip")


def _active_id(console: Console) -> str:
    return str(console.driver.switch_to.active_element.get_attribute("id"))


def test_counter_slip_prints_on_a4_with_people_pins_sections_and_interpreter(
    console: Console,
) -> None:
    filing = handoff_filing()
    _open_slip(console, filing)
    assert console.text("#slip-receipt") == receipt_number_display(receipt_number(filing.id))
    assert "通訳: ベトナム語" in console.text("#slip-interpreter")
    people = console.driver.find_elements(By.CSS_SELECTOR, "#slip-people tr.person")
    assert len(people) == 3
    assert "券面記載事項変更・署名用電子証明書" in people[0].text
    assert (
        "住民基本台帳用暗証番号（数字4桁）" in people[0].text
        and "署名用電子証明書の暗証番号" in people[0].text
    )
    assert "継続利用" in people[1].text and "署名用" not in people[1].text
    assert people[2].find_element(By.CSS_SELECTOR, "td.pin").text == "—"
    sections = [
        s.get_attribute("aria-label")
        for s in console.driver.find_elements(By.CSS_SELECTOR, "section.section")
    ]
    assert sections == ["国保", "年金", "児童手当", "就学"]
    highlighted = console.driver.find_elements(By.CSS_SELECTOR, "section.section li.confirm")
    assert [h.text.split(":")[0] for h in highlighted] == ["国民健康保険", "就学"]
    assert all("★ 窓口で確認" in h.text for h in highlighted)
    assert "窓口で確認が必要な手続: 2件" in console.text("#slip-confirm-count")
    assert_accessible(console, "slip")
    # print: only the slip, on A4
    console.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not console.driver.find_element(By.ID, "scanbar").is_displayed()
    assert not console.driver.find_element(By.CSS_SELECTOR, "header.top").is_displayed()
    assert console.driver.find_element(By.ID, "slip").is_displayed()
    console.screenshot("slip-print-preview")
    pdf = console.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    data = base64.b64decode(pdf["data"])
    assert A4_MEDIABOX.search(data), "the 受付票 does not print on A4"
    (console.shots / "console-slip.pdf").write_bytes(data)
    console.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_the_slip_of_a_card_procedure_is_a_request_with_no_move(console: Console) -> None:
    from pathlib import Path

    from kiosk.forms.codec import filing_from_json

    card = Path(__file__).parents[3] / "examples" / "filings" / "card" / "seal_card_binding.json"
    filing = replace(filing_from_json(card.read_bytes()), created_at=datetime.now(UTC))
    _open_slip(console, filing)
    shown = console.text("#slip-filing")
    assert "申請日" in shown and "申請者" in shown and filing.filer.name in shown
    assert "異動日" not in shown and "新住所" not in shown and "届出日" not in shown
    assert_accessible(console, "card request slip")
    console.screenshot("slip-card-request")


def test_daily_summary_counts_the_jst_day_and_median_scan_to_decision(console: Console) -> None:
    first, second = make_filing(2), make_filing(1)
    for filing in (first, second):
        console.post_filing(filing)
    console.login()
    console.wait_for("#scan")
    (code,) = qr_parts(first, console.kiosk_key)
    console.scan(code)
    console.wait_for("#checks")
    store.set_filing_status(
        console.server.engine, first.id, FilingStatus.ACCEPTED, actor="staff:clerk1",
        reason=None, now=datetime.now(UTC),
    )  # fmt: skip
    console.driver.find_element(By.ID, "nav-summary").click()
    console.wait_for("#summary")
    assert console.text("#summary-total") == "受付 2件"
    status = console.text("#summary-status")
    assert "受理 1" in status and "未処理（受付・保留） 1" in status
    assert "転居 2" in console.text("#summary-kind")
    assert "kiosk-01 2" in console.text("#summary-kiosk")
    assert re.search(r"読取→決定（中央値） \d+\.\d分", console.text("#summary-median"))
    assert len(console.driver.find_elements(By.CSS_SELECTOR, "#summary-hour meter")) >= 1
    console.screenshot("daily-summary")
    assert_accessible(console, "summary")
    console.driver.find_element(By.ID, "summary-prev").click()
    console.wait_text("#summary-total", "受付 0件")


def test_export_dialog_counts_downloads_marks_and_offers_reexport(console: Console) -> None:
    filings = [make_filing(2), make_filing(1)]
    for filing in filings:
        console.post_filing(filing)
        store.set_filing_status(
            console.server.engine, filing.id, FilingStatus.ACCEPTED, actor="staff:clerk1",
            reason=None, now=datetime.now(UTC),
        )  # fmt: skip
    console.login()
    console.wait_for("#scan")
    console.driver.find_element(By.ID, "nav-search").click()
    console.wait_for("#export-dialog-link")
    console.driver.find_element(By.ID, "export-dialog-link").click()
    console.wait_for("#export-dialog")
    assert console.text("#export-fresh") == "2件" and "BOM" in console.text("#export-encoding")
    console.screenshot("export-dialog")
    assert_accessible(console, "export dialog")
    answer = console.driver.execute_script(
        "const f = document.querySelector('#export-form');"
        "return fetch(f.action, {method: 'POST', body: new URLSearchParams(new FormData(f))})"
        ".then(async r => [r.status, r.headers.get('content-disposition'),"
        " Array.from(new Uint8Array(await r.arrayBuffer()).slice(0, 3))]);"
    )
    status, disposition, head = answer
    assert status == 200 and head == [0xEF, 0xBB, 0xBF]
    assert re.search(r'filename="131041_\d{8}-\d{8}\.csv"', disposition)
    console.driver.refresh()
    console.wait_text("#export-fresh", "0件")
    assert console.text("#export-total") == "2件"
    reexport = console.driver.find_element(By.ID, "export-reexport")
    assert not reexport.is_selected()


def test_half_read_code_says_incomplete_and_another_filing_asks_before_discarding(
    console: Console,
) -> None:
    first, second = make_filing(6), make_filing(6)
    a = qr_parts(first, console.kiosk_key, max_part_chars=SMALL_PARTS)
    b = qr_parts(second, console.kiosk_key, max_part_chars=SMALL_PARTS)
    assert len(a) >= 3 and len(b) >= 2
    console.login()
    console.wait_for("#scan")
    console.scan(a[0][: len(a[0]) // 2])  # the scanner stopped half-way
    console.wait_text("#scan-progress", "読み取り不完全")
    assert "窓口用QRコードではありません" not in console.text("#scan-progress")
    console.scan(a[0])
    console.wait_text("#scan-progress", f"1/{len(a)}")
    console.scan(b[0])  # another paper mid-way: asked, nothing dropped yet
    console.wait_for("#scan-switch")
    assert "破棄して新しい届出を読み取りますか" in console.text("#scan-switch")
    assert _active_id(console) == "scan-switch-keep"
    console.screenshot("scan-other-filing-question")
    assert_accessible(console, "scan question")
    console.driver.switch_to.active_element.send_keys(Keys.ENTER)  # keep the first filing
    WebDriverWait(console.driver, WAIT_S).until(lambda d: not d.find_elements(By.ID, "scan-switch"))
    assert _active_id(console) == "scan"
    console.scan(a[1])
    console.wait_text("#scan-progress", f"2/{len(a)}")  # the first part was kept
    console.scan(b[0])
    console.wait_for("#scan-switch")
    console.driver.switch_to.active_element.send_keys(Keys.TAB)  # keyboard: to 破棄…
    assert _active_id(console) == "scan-switch-discard"
    console.driver.switch_to.active_element.send_keys(Keys.ENTER)
    console.wait_text("#scan-progress", f"1/{len(b)}")
    for part in b[1:]:
        console.scan(part)
    console.wait_for("#checks")
    assert console.driver.current_url.endswith(f"/console/filings/{second.id}")
