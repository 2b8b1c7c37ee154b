"""Issue 17 part A in headless Chromium at 1366×768: find, see and decide safely — by keyboard
and by mouse. Screenshots of the list, a review with warnings and a paper difference go to
artifacts/ (console-clerk-*.png)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from kiosk.forms.ids import receipt_number
from kiosk.forms.model import Address, AddressScheme, Filing, FilingKind, MoveOutRoute
from tests.unit.console.helpers import make_filing, qr_parts

from .conftest import WAIT_S, Console

pytestmark = [pytest.mark.browser, pytest.mark.slow]
#: a click on the confirmation earlier than this is ignored as the end of a double-click
HUMAN_PAUSE_S = 0.8


def counter_screen(console: Console) -> None:
    """The ward PC of the issue: 1366×768 CSS px."""
    console.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False},
    )


def keys(console: Console, *typed: str) -> None:
    ActionChains(console.driver).send_keys(*typed).perform()


def in_view(console: Console, element_id: str) -> bool:
    return bool(
        console.driver.execute_script(
            "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
            "return r.top >= 0 && r.bottom <= window.innerHeight && window.scrollY === 0;",
            element_id,
        )
    )


def late_move_in() -> Filing:
    return replace(
        make_filing(2),
        kind=FilingKind.MOVE_IN,
        move_out_route=MoveOutRoute.CARD,
        moved_on=date(2026, 11, 2),
        planned_move_out_on=date(2026, 11, 1),
        language="vi",
        old_address=Address(
            scheme=AddressScheme.FREE_TEXT, free_text="大阪府大阪市北区梅田一丁目1番1号"
        ),
    )


def test_find_by_list_receipt_number_and_kana_search(console: Console) -> None:
    counter_screen(console)
    filings = [make_filing(n) for n in (1, 2, 3)]
    for filing in filings:
        console.post_filing(filing)
    console.login()
    console.wait_for("#filing-list")
    listed = console.text("#filing-list")
    assert "受付番号" in listed and "氏名" in listed and "山田 太郎" in listed and "3名" in listed
    number = receipt_number(filings[1].id)
    shown = f"{number[:4]}-{number[4:]}"
    assert shown in listed and "全3件" in console.text("#result-count")
    console.screenshot("clerk-list")
    # keyboard: the 受付番号 read off the paper, typed into the scan field
    console.scan(shown.lower())
    console.wait_for("#checks")
    assert filings[1].id in console.driver.current_url and shown in console.text("#receipt-no")
    # mouse: the search page, a hiragana reading finds the katakana フリガナ
    console.driver.find_element(By.ID, "nav-search").click()
    console.wait_for("#search-form")
    console.driver.find_element(By.ID, "name").send_keys("はなえ")
    console.driver.find_element(By.ID, "search").click()
    WebDriverWait(console.driver, WAIT_S).until(lambda d: "name=" in d.current_url)
    rows = console.driver.find_elements(By.CSS_SELECTOR, "tr.filing-row")
    assert sorted(r.get_attribute("data-filing-id") for r in rows) == sorted(
        f.id for f in filings[1:]
    )
    assert console.text("#result-count").startswith("2 件")
    console.screenshot("clerk-search-kana")


def test_review_shows_warnings_and_accepts_by_ctrl_enter_then_enter(
    console: Console, artifacts_dir: Path
) -> None:
    counter_screen(console)
    filing = late_move_in()
    console.post_filing(filing)
    console.login()
    console.wait_for("#scan")
    (code,) = qr_parts(filing, console.kiosk_key)
    started = time.perf_counter()
    console.scan_to_page(code)
    console.wait_for("#findings")
    opened = time.perf_counter()
    assert "⚠" in console.text("#check-validation")  # not three green ✔
    assert "特例転入" in console.text("#findings") and "世帯員1 本籍" in console.text("#findings")
    assert "特例転入の期限切れ" in console.text("#fields")
    assert "ベトナム語" in console.text("#fields") and "〒160-0022" in console.text("#fields")
    members = console.text("#members")
    assert "昭和55年4月1日 (1980-04-01)" in members and "46歳" in members
    accept = console.text("#accept")
    assert accept.startswith("警告") and "を確認して受理する" in accept
    assert in_view(console, "accept")  # no scroll needed at 1366×768
    console.screenshot("clerk-review-warnings")
    # deliberate action 1 (the focus is still in the scan field): Ctrl+Enter
    decided_from = time.perf_counter()
    ActionChains(console.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(
        Keys.CONTROL
    ).perform()
    console.wait_for("#confirm")
    assert in_view(console, "confirm")
    assert "特例転入" in console.text("#confirm-findings")
    console.screenshot("clerk-confirm-accept")
    keys(console, Keys.ENTER)  # deliberate action 2
    console.wait_text("#status-badge", "受理")
    decided = time.perf_counter()
    assert console.filing_row(filing.id)["status"] == "accepted"  # type: ignore[index]
    # undo (mouse) in the same session: confirmation, then the filing is 受付 again
    console.driver.find_element(By.ID, "undo").click()
    console.wait_for("#confirm")
    time.sleep(HUMAN_PAUSE_S)
    console.driver.find_element(By.ID, "confirm").click()
    console.wait_text("#status-badge", "受付")
    assert console.filing_row(filing.id)["status"] == "received"  # type: ignore[index]
    # the mouse path: two clicks, both buttons in view without scrolling
    console.scan_to_page(code)  # the same filing again: its page opens anew (this one has #accept)
    console.wait_for("#accept")
    assert in_view(console, "accept")
    console.driver.find_element(By.ID, "accept").click()
    console.wait_for("#confirm")
    assert in_view(console, "confirm")
    time.sleep(HUMAN_PAUSE_S)
    console.driver.find_element(By.ID, "confirm").click()
    console.wait_text("#status-badge", "受理")
    timing = {
        "screen": "1366x768",
        "keyboard": {"deliberate_actions": 2, "keys": ["Ctrl+Enter", "Enter"], "clicks": 0},
        "mouse": {"deliberate_actions": 2, "clicks": 2, "keys": 0},
        "scrolls": 0,
        "scan_to_page_ms": round((opened - started) * 1000),
        "decision_ms_keyboard": round((decided - decided_from) * 1000),
        "scan_to_decision_ms_keyboard": round((decided - started) * 1000),
        "before": {"deliberate_actions": 1, "confirmed": False, "note": "one click, final"},
    }
    (artifacts_dir / "clerk_timing.json").write_text(json.dumps(timing, indent=1))


def test_double_click_on_accept_never_decides(console: Console) -> None:
    counter_screen(console)
    filing = make_filing(2)
    console.post_filing(filing)
    console.login()
    console.wait_for("#scan")
    (code,) = qr_parts(filing, console.kiosk_key)
    console.scan_to_page(code)
    console.wait_for("#accept")
    ActionChains(console.driver).double_click(
        console.driver.find_element(By.ID, "accept")
    ).perform()
    console.wait_for("#confirm")
    time.sleep(HUMAN_PAUSE_S)
    assert console.filing_row(filing.id)["status"] == "received"  # type: ignore[index]


def test_paper_difference_side_by_side_then_identity_check_and_hold(console: Console) -> None:
    counter_screen(console)
    filing = make_filing(2)
    console.post_filing(filing)
    paper = replace(filing, new_address=replace(filing.new_address, katagaki="新宿ハイツ305号室"))
    console.login()
    console.wait_for("#scan")
    (code,) = qr_parts(paper, console.kiosk_key)
    console.scan_to_page(code)
    console.wait_for("#differences")
    row = console.text("tr[data-path='new_address.katagaki']")
    assert "方書" in row and "305号室" in row and "302号室" in row
    assert "受理できません" in console.text("#accept-refused")
    console.screenshot("clerk-paper-difference")
    # mouse: the document checked at the counter, the paper's values adopted
    Select(console.driver.find_element(By.ID, "document")).select_by_value("driver_licence")
    console.driver.find_element(By.ID, "check-identity").click()
    console.wait_for("#confirm")
    time.sleep(HUMAN_PAUSE_S)
    console.driver.find_element(By.ID, "confirm").click()
    console.wait_for("#identity-done")
    assert console.exists("#accept")
    # 保留 with a note (keyboard)
    console.driver.find_element(By.ID, "note").send_keys("転出証明書を確認中" + Keys.ENTER)
    console.wait_for("#confirm")
    keys(console, Keys.ENTER)
    console.wait_text("#status-badge", "保留")
    assert "転出証明書を確認中" in console.text("#held")
    with console.server.engine.connect() as conn:
        from sqlalchemy import text

        stored = conn.execute(
            text("SELECT filing_json, held_note FROM filings WHERE filing_id = :f"),
            {"f": filing.id},
        ).one()
    assert "305号室" in stored[0] and stored[1] == "転出証明書を確認中"
    assert ("filing.identity_checked", "staff:clerk1") in console.audit_actions(filing.id)
