"""The card as 印鑑登録証 on the console, in headless Chromium against the real intake.

A clerk approves a 印鑑登録証 request only with the 宛名番号 and 印鑑登録番号; approval binds the
card's certificate; the page shows chain, expiry, revocation and binding; a CRL import revokes;
死亡 entered by a clerk ends a binding; an accepted 転出 signed by the same card ends it.
"""

from __future__ import annotations

import dataclasses

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import text

from kiosk.forms.model import Filing, FilingKind
from server_sync.intake.bindings.certs import facts_of
from server_sync.intake.bindings.store import lookup
from server_sync.intake.clock import utc_now
from tests.fixtures.filings import build_filing
from tests.integration.console.conftest import Console
from tests.integration.console.seal_kit import SealConsole, post_signed, seal_console, seal_filing
from tests.integration.intake.seal_kit import card as issue_card
from tests.integration.intake.seal_kit import crl, run_cli
from tests.unit.console.helpers import qr_parts

__all__ = ["seal_console"]


def _binding_rows(sc: SealConsole) -> list[tuple[object, ...]]:
    with sc.console.server.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT resident_id, seal_number, status, end_reason, created_by"
                    " FROM seal_bindings ORDER BY created_at"
                )
            )
        ]


def test_approve_binds_then_crl_revokes(seal_console: SealConsole) -> None:
    sc, c = seal_console, seal_console.console
    holder = issue_card(sc.pki)
    filing = seal_filing(holder)
    post_signed(c, filing, holder)
    c.login()
    _scan(c, filing)
    c.wait_for("#card-cert")
    assert c.driver.find_element(By.ID, "cert-chain").get_attribute("data-state") == "trusted"
    assert c.driver.find_element(By.ID, "cert-expiry").get_attribute("data-state") == "valid"
    revocation = c.driver.find_element(By.ID, "cert-revocation")
    assert revocation.get_attribute("data-state") == "no-crl"
    assert c.driver.find_element(By.ID, "binding-status").get_attribute("data-status") == "unknown"
    assert c.text("#cert-serial") == format(holder.cert.serial_number, "x")

    # the 宛名番号 and 印鑑登録番号 are required: the browser does not submit without them
    c.driver.find_element(By.ID, "accept").click()
    assert c.driver.current_url.endswith(f"/filings/{filing.id}")
    c.driver.find_element(By.ID, "resident-id").send_keys("0012345")
    c.driver.find_element(By.ID, "seal-number").send_keys("I-2026-77")
    c.driver.find_element(By.ID, "accept").click()
    c.wait_for("#confirm-seal")
    assert "0012345" in c.text("#confirm-seal") and "I-2026-77" in c.text("#confirm-seal")
    assert _binding_rows(sc) == []  # nothing before the confirmation
    c.confirm()
    c.wait_text("#status-badge", "受理")
    c.wait_for("#binding-status")
    assert c.driver.find_element(By.ID, "binding-status").get_attribute("data-status") == "active"
    assert _binding_rows(sc) == [("0012345", "I-2026-77", "active", None, "staff:clerk1")]
    c.screenshot("seal-binding-bound")
    # the ward's counter lookup answers from the same table
    facts = facts_of(holder.cert, [sc.pki.root])
    found = lookup(c.server.engine, facts.cert_id, utc_now())
    assert found.as_json() == {"status": "active", "seal_number": "I-2026-77"}

    # a CRL listing the serial: revoked at once, shown on the page
    crl_file = sc.trust_dir.parent / "jpki.crl"
    crl_file.write_bytes(crl(sc.pki, [holder.cert.serial_number], number=1))
    run = run_cli("crl", "import", "--db", c.server.db_url, "--trust-dir", str(sc.trust_dir),
                  str(crl_file))  # fmt: skip
    assert run.returncode == 0, run.stderr
    c.driver.refresh()
    c.wait_for("#cert-revocation")
    assert c.driver.find_element(By.ID, "cert-revocation").get_attribute("data-state") == "revoked"
    assert c.driver.find_element(By.ID, "binding-status").get_attribute("data-status") == "revoked"
    assert _binding_rows(sc)[0][2:4] == ("revoked", "crl")
    c.screenshot("seal-binding-revoked")


def test_death_and_move_out_end_bindings(seal_console: SealConsole) -> None:
    sc, c = seal_console, seal_console.console
    first, second = issue_card(sc.pki), issue_card(sc.pki)
    for holder, (resident, seal) in ((first, ("100", "S-100")), (second, ("200", "S-200"))):
        run = run_cli(
            "bindings", "add", "--db", c.server.db_url, "--trust-dir", str(sc.trust_dir),
            "--cert", str(_pem(sc, holder)), "--resident-id", resident, "--seal-number", seal,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
    c.login()
    c.wait_for("#scan")
    # 死亡 entered by a clerk on the bindings page (found by 宛名番号)
    c.driver.get(c.url("/seal-bindings?q=100"))
    c.wait_for("#seal-binding-list")
    row = c.driver.find_element(By.CSS_SELECTOR, "tr.seal-binding")
    assert row.get_attribute("data-status") == "active"
    Select(row.find_element(By.CSS_SELECTOR, "select.end-reason")).select_by_value("death")
    row.find_element(By.CSS_SELECTOR, "button.end-binding-button").click()
    c.wait_for("#seal-ended")
    row = c.driver.find_element(By.CSS_SELECTOR, "tr.seal-binding")
    assert row.get_attribute("data-status") == "ended"
    assert "死亡" in row.text

    # an accepted 転出 signed by the second card ends that card's binding
    base = build_filing()
    move_out = dataclasses.replace(
        base,
        kind=FilingKind.MOVE_OUT,
        old_address=base.new_address,  # leaving the ward's address
        new_address=dataclasses.replace(
            base.old_address or base.new_address, free_text="大阪府大阪市北区梅田一丁目1番1号"
        ),
    )
    post_signed(c, move_out, second)
    c.driver.get(c.url("/"))
    _scan(c, move_out)
    c.wait_for("#card-cert")
    assert c.driver.find_element(By.ID, "binding-status").get_attribute("data-status") == "active"
    c.driver.find_element(By.ID, "accept").click()
    c.confirm()
    c.wait_text("#status-badge", "受理")
    c.wait_for("#binding-status")
    assert c.driver.find_element(By.ID, "binding-status").get_attribute("data-status") == "ended"
    rows = _binding_rows(sc)
    assert [r[2:4] for r in rows] == [("ended", "death"), ("ended", "move_out")]


def _scan(c: Console, filing: Filing) -> None:
    """The clerk scans the printed request's QR codes (what accepting needs)."""
    for part in qr_parts(filing, c.kiosk_key):
        c.wait_for("#scan")
        c.scan(part)
    c.wait_for("#checks")


def _pem(sc: SealConsole, holder: object) -> object:
    from tests.integration.intake.seal_kit import pem

    path = sc.trust_dir.parent / f"card-{id(holder)}.pem"
    return pem(path, holder)  # type: ignore[arg-type]


def test_undo_ends_the_binding_and_a_new_accept_binds_again(seal_console: SealConsole) -> None:
    sc, c = seal_console, seal_console.console
    holder = issue_card(sc.pki)
    filing = seal_filing(holder)
    post_signed(c, filing, holder)
    c.login()
    _scan(c, filing)
    for seal_number in ("I-1", "I-2"):
        c.driver.find_element(By.ID, "resident-id").send_keys("0099")
        c.driver.find_element(By.ID, "seal-number").send_keys(seal_number)
        c.driver.find_element(By.ID, "accept").click()
        c.confirm()
        c.wait_text("#status-badge", "受理")
        if seal_number == "I-1":  # a typo in the 印鑑登録番号: undo in the same session
            c.driver.find_element(By.ID, "undo").click()
            c.confirm()
            c.wait_text("#status-badge", "受付")
            assert (
                c.driver.find_element(By.ID, "binding-status").get_attribute("data-status")
                == "ended"
            )
    rows = _binding_rows(sc)
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("I-1", "ended", "corrected"),
        ("I-2", "active", None),
    ]
