"""The fleet page in Chromium: image version and slot, reader and printer state, the rollout of the
published update, and kiosks that got a token but never enrolled (issue 16 "Fleet view")."""

from __future__ import annotations

import json

from selenium.webdriver.common.by import By

from tests.integration.console.conftest import Console
from tests.unit.console.helpers import KIOSK_ID

NEXT = "9.9.9"


def test_fleet_shows_the_stand_devices_rollout_and_tokens_never_used(console: Console) -> None:
    console.heartbeat(
        backlog=0,
        master_version="2026.11.27",
        stand={"image_version": "1.4.0", "slot": "b", "reader": "ok", "printer": "paper_out"},
    )
    console.server.create_token("kiosk-new-01")
    updates = console.server.data_dir / "updates"
    updates.mkdir(exist_ok=True)
    (updates / "channel.json").write_text(
        json.dumps(
            {
                "version": NEXT,
                "bundle": "kiosk-9.9.9.raucb",
                "sha256": "0" * 64,
                "rollout": {"kiosks": [KIOSK_ID], "share": 0.0},
            }
        )  # fmt: skip
    )
    console.login()
    console.wait_for("#scan")
    console.driver.find_element(By.ID, "nav-fleet").click()
    console.wait_for("#fleet")
    row = console.text(f"tr[data-kiosk-id='{KIOSK_ID}']")
    assert "1.4.0 / B" in row, row
    assert "用紙切れ" in row and "機器の異常" in row, row  # paper out is a problem for the fleet
    assert "適用待ち" in row, row  # listed in the rollout, not running 9.9.9 yet
    assert console.text("#update-pending") == "1" and console.text("#update-current") == "0"
    pending = console.text("tr[data-kiosk-id='kiosk-new-01']")
    assert "登録待ち" in pending, pending
    console.screenshot("fleet-stand")

    # the kiosk comes back on the new image with the paper refilled
    console.heartbeat(
        backlog=0,
        master_version="2026.11.27",
        stand={"image_version": NEXT, "slot": "a", "reader": "ok", "printer": "ok"},
    )
    console.driver.refresh()
    console.wait_for("#fleet")
    row = console.text(f"tr[data-kiosk-id='{KIOSK_ID}']")
    assert f"{NEXT} / A" in row and "適用済み" in row and "正常" in row, row
    assert console.text("#update-current") == "1"


def test_an_older_kiosk_without_stand_fields_keeps_working(console: Console) -> None:
    console.heartbeat(backlog=2, master_version="2026.11.27")
    console.login()
    console.driver.find_element(By.ID, "nav-fleet").click()
    console.wait_for("#fleet")
    row = console.text(f"tr[data-kiosk-id='{KIOSK_ID}']")
    assert "— / —" in row and "不明" in row, row


def test_a_stand_field_outside_its_vocabulary_is_refused(console: Console) -> None:
    try:
        console.heartbeat(backlog=0, master_version="x", stand={"printer": "on fire"})
    except AssertionError as err:
        assert "bad_request" in str(err), err
    else:
        raise AssertionError("a heartbeat with an unknown printer state was accepted")
