"""方書 flowing back, end to end: a free-text 方書 typed at one kiosk becomes a listed choice on
another after a clerk confirms it in the console (Chromium) and the master is published again.

Real parts: the intake (uvicorn + SQLite), the console in headless Chromium, ``publish-master``,
the kiosks' master pull over HTTPS (IntakeClient + MasterStore), the kiosk address lookup.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from selenium.webdriver.common.by import By
from sqlalchemy import text

from kiosk.forms.master.lookup import AddressMaster
from kiosk.forms.master.records import Building
from server_sync.intake.store import current_master
from server_sync.master_pull import MasterStore, pull_master
from server_sync.transport import IntakeClient
from tests.fixtures.filings import build_filing
from tests.integration.console.conftest import Console
from tests.integration.intake.seal_kit import run_cli
from tests.unit.console.helpers import KIOSK_ID, b64, qr_parts, raw_public_key
from tests.unit.sync.masterdata import master_set, write_master_folder

TOWN_ID = "0020003"  # 新宿三丁目 of the sample ward
SECOND_KIOSK = "kiosk-02"


def _pull(console: Console, kiosk_id: str, key: Ed25519PrivateKey, root: Path) -> AddressMaster:
    """The kiosk's master pull over HTTPS, then its address master as the app opens it."""
    store = MasterStore(root)
    with IntakeClient(
        console.server.base_url, kiosk_id=kiosk_id, private_key=key,
        ca_file=console.server.ca_file, connect_timeout_s=5, read_timeout_s=20,
    ) as client:  # fmt: skip
        pull_master(client, store)
    current = store.current_dir()
    assert current is not None
    return AddressMaster.open(current / "address_master.sqlite")


def _filing_at(master: AddressMaster, katagaki: str, receipt: int):  # type: ignore[no-untyped-def]
    """A 転居 to 新宿三丁目5番2号 with ``katagaki`` typed (resolved as kiosk A's address step)."""
    address = master.address(TOWN_ID, block="5", residence="2", katagaki=katagaki)
    assert address.katagaki_listed is False  # not in the master: free text
    return dataclasses.replace(build_filing(phone=f"03123456{receipt:02d}"), new_address=address)


def test_free_text_katagaki_reaches_a_second_kiosk(console: Console, tmp_path: Path) -> None:
    folder = write_master_folder(tmp_path / "master", master_set(tmp_path))
    first = run_cli("publish-master", "--db", console.server.db_url, "--master", str(folder))
    assert first.returncode == 0, first.stderr
    v1 = current_master(console.server.engine)
    assert v1 is not None

    # kiosk A: two residents type the same new building (different rooms)
    master_a = _pull(console, KIOSK_ID, console.kiosk_key, tmp_path / "kiosk-a")
    filings = [
        _filing_at(master_a, "新宿グリーンコート205号室", 1),
        _filing_at(master_a, "新宿グリーンコート 1203", 2),
    ]
    master_a.close()
    console.login()
    for filing in filings:
        console.post_filing(filing)
        console.driver.get(console.url("/"))
        for part in qr_parts(filing, console.kiosk_key):
            console.wait_for("#scan")
            console.scan(part)
        console.wait_for("#checks")
        console.driver.find_element(By.ID, "accept").click()
        console.confirm()
        console.wait_text("#status-badge", "受理")

    # the clerk sees one candidate (address, what was typed, 2 filings) and confirms it
    console.driver.find_element(By.ID, "nav-katagaki").click()
    console.wait_for("#katagaki-candidates")
    (row,) = console.driver.find_elements(By.CSS_SELECTOR, "tr.katagaki-candidate")
    assert row.get_attribute("data-candidate") == "新宿グリーンコート"
    assert "新宿区新宿三丁目5番2号" in row.find_element(By.CSS_SELECTOR, ".address").text
    typed = row.find_element(By.CSS_SELECTOR, ".typed").text
    assert "新宿グリーンコート205号室" in typed and "新宿グリーンコート 1203" in typed
    assert row.find_element(By.CSS_SELECTOR, ".filings").text == "2"
    console.screenshot("katagaki-candidates")
    # a reading is required for the master (the kiosk sorts and searches by it): not sent
    row.find_element(By.CSS_SELECTOR, ".katagaki-confirm").click()
    assert console.driver.current_url.endswith("/console/katagaki")
    with console.server.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM katagaki_feedback")).scalar() == 0
    row.find_element(By.CSS_SELECTOR, ".katagaki-kana").send_keys("しんじゅくぐりーんこーと")
    row.find_element(By.CSS_SELECTOR, ".katagaki-confirm").click()
    console.wait_for("#katagaki-notice")
    assert console.exists("#katagaki-none")
    assert "新宿グリーンコート（シンジュクグリーンコート）" in console.text("#katagaki-decided")

    # the next publish of the same folder carries it (a new version); again: unchanged
    second = run_cli("publish-master", "--db", console.server.db_url, "--master", str(folder))
    assert second.returncode == 0 and second.stdout.startswith("published"), second.stdout
    again = run_cli("publish-master", "--db", console.server.db_url, "--master", str(folder))
    assert again.stdout.startswith("unchanged"), again.stdout

    # kiosk B pulls it and its address step offers the building as a listed 方書
    key_b = Ed25519PrivateKey.generate()
    with console.server.client() as client:
        enrol = client.post("/api/v1/kiosks/enrol", json={
            "token": console.server.create_token(SECOND_KIOSK), "kiosk_id": SECOND_KIOSK,
            "public_key": b64(raw_public_key(key_b)),
        })  # fmt: skip
    assert enrol.status_code == 201, enrol.text
    master_b = _pull(console, SECOND_KIOSK, key_b, tmp_path / "kiosk-b")
    try:
        picked = master_b.address(TOWN_ID, block="5", residence="2")
        offered = master_b.katagaki(picked)
        assert Building("新宿グリーンコート", "シンジュクグリーンコート") in offered
        assert Building("新宿グリーンコート", "シンジュクグリーンコート") in master_b.katagaki(
            picked, "しんじゅくぐ"
        )
        typed = master_b.address(
            TOWN_ID, block="5", residence="2", katagaki="新宿グリーンコート301号室"
        )
        assert typed.katagaki_listed is True
        # the other addresses' 方書 are untouched
        assert Building("新宿ハイツ", "シンジュクハイツ") in offered
    finally:
        master_b.close()
