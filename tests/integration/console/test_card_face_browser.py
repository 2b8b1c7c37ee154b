"""The clerk prints a card face from the console (Chromium) to a real CUPS and sees the job."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from kiosk.forms.model import CardTask, Filing
from server_sync.intake.cardface import (
    CardFaceSettings,
    PrintOptions,
    card_face_jobs,
    render,
)
from tests.fixtures.cups import CupsServer
from tests.unit.console.helpers import make_filing, qr_parts

from .a11y_tools import AXE_JS, run_axe
from .conftest import WAIT_S, Console

pytestmark = [pytest.mark.browser, pytest.mark.cups]
#: a loaded CI machine can take a while to run the PDF filter
JOB_WAIT_S = 60.0


def card_face_filing() -> Filing:
    """A 転居 of three: the head's and the wife's cards need 券面記載事項変更, the child's not."""
    filing = make_filing(3)
    head, wife, child = filing.members
    tasks = frozenset({CardTask.SURFACE_UPDATE, CardTask.SIGNATURE_CERTIFICATE})
    members = (
        dataclasses.replace(head, card_tasks=tasks),
        dataclasses.replace(wife, from_chip=True, card_tasks=tasks),
        child,
    )
    return dataclasses.replace(filing, members=members)


def open_posted_and_scanned(console: Console, filing: Filing) -> None:
    """Post the filing as the kiosk does, log in and scan its paper (the page it opens)."""
    console.post_filing(filing)
    console.login()
    console.wait_for("#scan")
    for part in qr_parts(filing, console.kiosk_key):
        console.scan(part)
    console.wait_for("#checks")


def click_and_reload(console: Console, element_id: str) -> None:
    """Click a button or link that loads a new page, and wait until the old page is gone."""
    old = console.driver.find_element(By.TAG_NAME, "html")
    console.driver.find_element(By.ID, element_id).click()
    WebDriverWait(console.driver, WAIT_S).until(ec.staleness_of(old))


def state_of(console: Console, key: str) -> str:
    cell = console.driver.find_element(By.ID, f"card-face-state-{key}")
    return str(cell.get_attribute("data-state"))


@pytest.mark.parametrize(
    "intake_server", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_accept_then_print_a_card_face_to_cups(
    console: Console, cups_server: CupsServer, tmp_path: Path
) -> None:
    (console.server.data_dir / "card-face.json").write_text(
        json.dumps({"cups_queue": cups_server.queue_uri}), encoding="utf-8"
    )
    filing = card_face_filing()
    open_posted_and_scanned(console, filing)
    assert not console.exists("#card-face"), "no card-face prints before the filing is accepted"
    console.driver.find_element(By.ID, "accept").click()
    console.confirm()
    console.wait_text("#status-badge", "受理")

    console.wait_for("#card-face")
    rows = console.driver.find_elements(By.CSS_SELECTOR, "#card-face-list tr.card-face-row")
    assert [r.get_attribute("data-key") for r in rows] == ["0", "1"]
    assert "山田 花江" in rows[1].text and "マイナンバーカード" in rows[1].text
    assert "未印刷" in console.text("#card-face-state-1")
    preview = console.driver.execute_script(
        "return fetch(arguments[0]).then(r => r.status + ' ' + r.headers.get('content-type'));",
        console.url(f"/filings/{filing.id}/card-face/1.png?kiosk=kiosk-01"),
    )
    assert preview == "200 image/png"

    first_line = console.driver.find_element(By.ID, "first-line-1")
    first_line.clear()
    first_line.send_keys("2")
    click_and_reload(console, "card-face-print-1")
    console.wait_for("#card-face-state-1")
    assert "ジョブ" in console.text("#card-face-state-1")
    deadline = time.monotonic() + JOB_WAIT_S
    while True:  # 「状態を更新」 at least once: it must really reload the page
        time.sleep(0.2)
        click_and_reload(console, "card-face-refresh")
        console.wait_for("#card-face-state-1")
        if state_of(console, "1") == "completed" or time.monotonic() > deadline:
            break
    assert state_of(console, "1") == "completed", "\n".join(
        line for line in cups_server.error_log.read_text().splitlines() if "Job 1]" in line
    )[-6000:]
    assert "完了" in console.text("#card-face-state-1")
    assert "未印刷" in console.text("#card-face-state-0")
    assert "券面印刷" in console.text("#history")
    console.screenshot("card-face-printed")
    assert ("card_face.printed", "staff:clerk1") in console.audit_actions(filing.id)

    # what CUPS printed is the wife's card with the entry from line 2
    subprocess.run(["pdfimages", "-png", str(cups_server.output), str(tmp_path / "i")], check=True)
    settings = CardFaceSettings()
    wife = card_face_jobs(filing, settings)[1]
    expected = render(wife, settings, PrintOptions(first_line=2, font_pt=settings.font_pt))
    with Image.open(tmp_path / "i-000.png") as printed:
        assert ImageChops.difference(printed.convert("L"), expected).getbbox() is None
    if AXE_JS.exists():
        assert run_axe(console.driver) == [], "the card-face section passes axe (WCAG 2.1 AA)"

    # a second press on a printed card needs 「再印刷する」: ink on a card cannot be undone
    console.driver.find_element(By.ID, "card-face-print-1").click()
    console.wait_for("#error-detail")
    assert "印刷済み" in console.text("#error-detail")
    console.driver.back()
    console.wait_for("#reprint-1").click()  # type: ignore[attr-defined]
    console.driver.find_element(By.ID, "card-face-print-1").click()
    console.wait_text("#card-face-state-1", "ジョブ 2")
    printed = [a for a in console.audit_actions(filing.id) if a[0] == "card_face.printed"]
    assert len(printed) == 2


def test_print_is_refused_without_a_queue_and_before_acceptance(console: Console) -> None:
    filing = card_face_filing()
    open_posted_and_scanned(console, filing)
    status = console.driver.execute_script(
        "const body = new URLSearchParams({csrf_token: document.querySelector("
        "'input[name=csrf_token]').value, kiosk: 'kiosk-01'});"
        "return fetch(location.pathname + '/card-face/0/print', {method: 'POST', body})"
        ".then(r => r.status);"
    )
    assert status == 409  # not accepted yet
    console.driver.find_element(By.ID, "accept").click()
    console.confirm()
    console.wait_text("#status-badge", "受理")
    console.wait_for("#card-face")
    assert "券面プリンタが設定されていません" in console.text("#card-face-no-queue")
    assert not console.exists("#card-face-print-0")

    # a queue nobody answers on: the clerk sees why, nothing is recorded as printed
    (console.server.data_dir / "card-face.json").write_text(
        json.dumps({"cups_queue": "ipp://127.0.0.1:9/printers/cardface"}), encoding="utf-8"
    )
    console.driver.refresh()
    console.wait_for("#card-face-print-0").click()  # type: ignore[attr-defined]
    console.wait_for("#error-detail")
    assert "券面印刷できません" in console.text("#error-detail")
    assert "card_face.printed" not in {a for a, _ in console.audit_actions(filing.id)}
