"""The clerk console in headless Chromium against the real uvicorn intake (HTTPS, SQLite)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image
from selenium.webdriver.common.by import By
from sqlalchemy import text

from kiosk.forms.codec import filing_to_json
from kiosk.forms.keys import save_private_key
from tests.unit.console.helpers import KIOSK_ID, make_filing, qr_parts, tampered_parts

from .conftest import Console

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[3]


def receipt_codes(console: Console, filing_json: str, out: Path) -> list[str]:
    """Render the real receipt with the kiosk's key and read its QR code(s) back with zxing-cpp."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "filing.json").write_text(filing_json, encoding="utf-8")
    save_private_key(console.kiosk_key, out / "kiosk.key")
    subprocess.run(
        [sys.executable, "-m", "kiosk.forms", "render", "--filing", str(out / "filing.json"),
         "--out", str(out / "paper"), "--key", str(out / "kiosk.key"), "--kiosk-id", KIOSK_ID],
        check=True, capture_output=True, cwd=REPO,
    )  # fmt: skip
    codes = zxingcpp.read_barcodes(Image.open(out / "paper" / "receipt.png"))
    return [code.text for code in codes]


def test_login_scan_real_receipt_and_accept(console: Console, tmp_path: Path) -> None:
    filing = make_filing(4)
    console.post_filing(filing)
    console.login(password="wrong password!")
    console.wait_text("#flash", "パスワードが違います")
    console.screenshot("login-wrong-password")
    console.login()
    console.wait_for("#scan")
    assert console.exists(f"tr[data-filing-id='{filing.id}']")  # awaiting review on the home
    (code,) = receipt_codes(console, filing_to_json(filing), tmp_path)
    console.scan_to_page(code)
    console.wait_for("#checks")
    assert console.driver.current_url.endswith(f"/console/filings/{filing.id}")
    assert "✔" in console.text("#check-kiosk_signature") and "署名有効" in console.text("#checks")
    assert "送信データと一致" in console.text("#check-posted_copy")
    assert console.text("#status-badge") == "受付"
    assert "山田 花江" in console.text("#members") and "妻" in console.text("#members")
    console.screenshot("filing-posted")
    console.driver.find_element(By.ID, "accept").click()
    console.confirm()  # issue 17: a confirmation page, then Enter
    console.wait_text("#status-badge", "受理")
    assert console.driver.switch_to.active_element.get_attribute("id") == "scan"
    console.screenshot("filing-accepted")
    assert console.filing_row(filing.id) == {
        "status": "accepted", "source": "posted", "reject_reason": None,
        "decided_by": "staff:clerk1",
    }  # fmt: skip
    assert console.audit_actions(filing.id)[-1] == ("filing.accepted", "staff:clerk1")
    # … and the resident system finds it in the export (the real command, same database)
    rows = [row for row in export_csv_rows(console) if row["filing_id"] == filing.id]
    assert [(r["member_no"], r["name"]) for r in rows] == [
        ("1", "山田 太郎"), ("2", "山田 花江"), ("3", "山田 一郎"), ("4", "山田 二郎"),
    ]  # fmt: skip
    for row in rows:
        assert (row["new_prefecture"], row["new_city"], row["new_town"]) == (
            "東京都", "新宿区", "新宿三丁目",
        )  # fmt: skip
        assert (row["new_block"], row["new_residence"]) == ("5", "2")
        assert row["new_katagaki"] == "新宿ハイツ302号室"
        assert (row["source"], row["accepted_by"]) == ("posted", "staff:clerk1")
    exported = json.loads(run_export(console, "json"))
    (entry,) = [f for f in exported["filings"] if f["filing_id"] == filing.id]
    assert entry["filing"]["new_address"]["katagaki"] == "新宿ハイツ302号室"
    # … and the clerk can download the same CSV from the console (search page button)
    console.driver.find_element(By.ID, "nav-search").click()
    console.wait_for("#export-form")
    assert "CSV" in console.text("#export-csv")
    downloaded = console.driver.execute_script(
        "const f = document.querySelector('#export-form');"
        "const body = new URLSearchParams({csrf_token: f.csrf_token.value});"
        "return fetch(f.action, {method: 'POST', body}).then(async r =>"
        " [r.status, r.headers.get('content-disposition'), await r.text()]);"
    )
    status, disposition, body = downloaded
    assert status == 200 and re.search(r'filename="131041_\d{8}-\d{8}\.csv"', disposition)
    assert list(csv.DictReader(io.StringIO(body, newline=""))) == export_csv_rows(console)
    with console.server.engine.connect() as conn:
        audit = conn.execute(
            text("SELECT actor, detail FROM audit_log WHERE action = 'export.downloaded'")
        ).all()
    ((actor, detail),) = [(a, json.loads(d)) for a, d in audit]
    assert actor == "staff:clerk1" and (detail["filings"], detail["marked"]) == (1, 1)
    refused = console.driver.execute_script(  # without the CSRF token: no download
        "return fetch(document.querySelector('#export-form').action,"
        " {method: 'POST', body: new URLSearchParams({})}).then(r => r.status);"
    )
    assert refused == 403


def run_export(console: Console, fmt: str) -> str:
    """``python -m server_sync.intake export --format FMT`` against the console's database."""
    result = subprocess.run(
        [sys.executable, "-m", "server_sync.intake", "export", "--db", console.server.db_url,
         "--format", fmt],
        check=True, capture_output=True, cwd=REPO, timeout=60,
    )  # fmt: skip
    return result.stdout.decode("utf-8")


def export_csv_rows(console: Console) -> list[dict[str, str]]:
    """The CSV export parsed into rows (header row as keys)."""
    return list(csv.DictReader(io.StringIO(run_export(console, "csv"), newline="")))


@pytest.mark.parametrize(
    "intake_server", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_multi_part_reverse_order_paper_only_accept(console: Console) -> None:
    filing = make_filing(6)  # never posted: the kiosk could not reach the intake
    parts = qr_parts(filing, console.kiosk_key, max_part_chars=400)
    assert len(parts) == 3
    console.login()
    console.wait_for("#scan")
    console.scan(parts[2])
    console.wait_text("#scan-progress", "1/3 読み取り済み")
    assert console.driver.switch_to.active_element.get_attribute("id") == "scan"
    console.scan(parts[0])
    console.wait_text("#scan-progress", "2/3 読み取り済み（残り: 2）")
    console.screenshot("scan-progress")
    console.scan(parts[1])
    console.wait_for("#checks")
    assert "紙のみ" in console.text("#check-posted_copy")
    assert console.text("#status-badge") == "未登録（紙のみ）"
    assert console.filing_row(filing.id) is None
    console.screenshot("filing-paper-only")
    console.driver.find_element(By.ID, "accept").click()
    console.confirm()
    console.wait_text("#status-badge", "受理")
    row = console.filing_row(filing.id)
    assert row is not None and (row["status"], row["source"]) == ("accepted", "paper")


def test_tampered_code_is_invalid_and_has_no_accept(console: Console) -> None:
    filing = make_filing(3)
    console.post_filing(filing)
    (part,) = tampered_parts(filing, console.kiosk_key)
    console.login()
    console.wait_for("#scan")
    console.scan(part)
    console.wait_for("#checks")
    assert "✖" in console.text("#check-kiosk_signature")
    assert "署名無効" in console.text("#check-kiosk_signature")
    assert not console.exists("#accept")
    assert "受理できません" in console.text("#accept-refused")
    console.screenshot("filing-tampered")
    # a hand-made accept POST (with a valid token) is refused by the server too
    status = console.driver.execute_script(
        "const f = document.querySelector('form.reject');"
        "const body = new URLSearchParams({csrf_token: f.csrf_token.value});"
        "return fetch(location.pathname + '/accept', {method: 'POST', body}).then(r => r.status);"
    )
    assert status == 409
    assert console.filing_row(filing.id)["status"] == "received"  # type: ignore[index]


def test_reject_with_reason(console: Console) -> None:
    filing = make_filing(2)
    console.post_filing(filing)
    console.login()
    console.wait_for("#scan")
    console.driver.get(console.url(f"/filings/{filing.id}"))
    console.driver.find_element(By.ID, "reason").send_keys("住所の記載誤り")
    console.driver.find_element(By.ID, "reject").click()
    console.confirm()
    console.wait_text("#status-badge", "却下")
    assert "住所の記載誤り" in console.text("#reject-reason")
    row = console.filing_row(filing.id)
    assert row is not None and (row["status"], row["reject_reason"]) == (
        "rejected",
        "住所の記載誤り",
    )
    assert console.audit_actions(filing.id)[-1] == ("filing.rejected", "staff:clerk1")


def test_post_without_csrf_token_is_refused(console: Console) -> None:
    filing = make_filing(2)
    console.post_filing(filing)
    console.login()
    console.wait_for("#scan")
    status = console.driver.execute_script(
        "return fetch(arguments[0], {method: 'POST',"
        " body: new URLSearchParams({reason: 'x'})}).then(r => r.status);",
        f"/console/filings/{filing.id}/reject",
    )
    assert status == 403
    # the session cookie alone (as a forged cross-site request would carry it) is not enough
    cookie = console.driver.get_cookie("console_session")
    assert cookie is not None and cookie["httpOnly"] and cookie["secure"]
    assert cookie["sameSite"] == "Strict"
    with console.server.client(cookies={"console_session": cookie["value"]}) as client:
        response = client.post(f"/console/filings/{filing.id}/reject", data={"reason": "x"})
    assert response.status_code == 403
    assert console.filing_row(filing.id)["status"] == "received"  # type: ignore[index]


def test_session_expiry_sends_the_clerk_back_to_login(console: Console) -> None:
    console.login()
    console.wait_for("#scan")
    with console.server.engine.begin() as conn:  # 31 minutes idle
        conn.execute(text("UPDATE console_sessions SET last_seen_at = last_seen_at - 1860"))
    console.driver.get(console.url("/search"))
    console.wait_text("#flash", "有効期限")
    assert "/console/login" in console.driver.current_url
    console.screenshot("session-expired")


def test_search_and_fleet(console: Console) -> None:
    first, second = make_filing(2), make_filing(3)
    console.post_filing(first)
    console.post_filing(second)
    console.heartbeat(backlog=4, master_version="2026.11.27")
    with console.server.client() as client:
        assert client.get("/console/fleet", follow_redirects=False).status_code == 303
    console.login()
    console.wait_for("#scan")
    console.driver.find_element(By.ID, "nav-search").click()
    console.wait_for("#search-form")
    assert console.exists(f"tr[data-filing-id='{first.id}']")
    assert console.exists(f"tr[data-filing-id='{second.id}']")
    console.driver.find_element(By.CSS_SELECTOR, "#status option[value='accepted']").click()
    console.driver.find_element(By.ID, "search").click()
    console.wait_text("#result-count", "0 件")
    console.driver.find_element(By.CSS_SELECTOR, "#status option[value='received']").click()
    console.driver.find_element(By.CSS_SELECTOR, f"#kiosk option[value='{KIOSK_ID}']").click()
    console.driver.find_element(By.ID, "search").click()
    console.wait_text("#result-count", "2 件")
    console.screenshot("search")
    console.driver.find_element(By.ID, "nav-fleet").click()
    console.wait_for("#fleet")
    row = console.text(f"tr[data-kiosk-id='{KIOSK_ID}']")
    assert "2026.11.27" in row and " 4 " in f" {row} " and "正常" in row
    console.screenshot("fleet")


def test_console_is_plain_https_only(console: Console) -> None:
    with pytest.raises(httpx.HTTPError):
        httpx.get(console.server.base_url.replace("https", "http") + "/console/login", timeout=3)
