"""Headless Chromium (Debian's chromium + chromedriver via selenium) against the real intake.

The browser trusts exactly the intake's dev server key (``--ignore-certificate-errors-spki-list``
with that key's SPKI hash), so cookies are really ``Secure`` over real TLS.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import text

from kiosk.forms.model import Filing
from server_sync.intake import store
from server_sync.request_auth import sign_request
from tests.fixtures.intake import IntakeServer
from tests.unit.console.helpers import (
    KIOSK_ID,
    STAFF_PASSWORD,
    STAFF_USER,
    b64,
    raw_public_key,
    signed_post,
)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1100",
    "--lang=ja",
)
WAIT_S = 15


def spki_hash(cert_pem: bytes) -> str:
    """base64(SHA-256(SubjectPublicKeyInfo)) of a certificate, as Chromium's SPKI list wants."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


@dataclass
class Console:
    """A browser on the console of one running intake, plus a kiosk and a staff account."""

    server: IntakeServer
    driver: WebDriver
    kiosk_key: Ed25519PrivateKey
    shots: Path

    def url(self, path: str) -> str:
        return f"{self.server.base_url}/console{path}"

    def wait_for(self, css: str) -> object:
        return WebDriverWait(self.driver, WAIT_S).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, css))
        )

    def wait_text(self, css: str, needle: str) -> None:
        WebDriverWait(self.driver, WAIT_S).until(
            ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), needle)
        )

    def text(self, css: str) -> str:
        return str(self.driver.find_element(By.CSS_SELECTOR, css).text)

    def exists(self, css: str) -> bool:
        return bool(self.driver.find_elements(By.CSS_SELECTOR, css))

    def login(self, username: str = STAFF_USER, password: str = STAFF_PASSWORD) -> None:
        self.driver.get(self.url("/login"))
        self.wait_for("#username").send_keys(username)  # type: ignore[attr-defined]
        self.driver.find_element(By.ID, "password").send_keys(password)
        # the page the form's answer loads (the list, or the login page with its error): a
        # click can return before the browser has left the login page
        self.to_next_page(self.driver.find_element(By.ID, "login").click)

    def scan(self, part: str) -> None:
        """What a keyboard-wedge scanner does: type into the focused field, then Enter."""
        focused = self.driver.switch_to.active_element
        assert focused.get_attribute("id") == "scan", "the scan field must have the focus"
        focused.send_keys(part + Keys.ENTER)

    def scan_to_page(self, code: str) -> None:
        """Scan a whole code and wait for the page it opens, not the one shown before (which may
        have the same elements: waiting for one of them could find the old page's)."""
        self.to_next_page(lambda: self.scan(code))

    def to_next_page(self, act: Callable[[], object]) -> None:
        """Do ``act`` and wait until the browser shows a newly loaded page (a mark set on the
        page shown before is gone)."""
        self.driver.execute_script("window.pageBefore = true")
        act()
        WebDriverWait(self.driver, WAIT_S).until(
            lambda d: d.execute_script("return window.pageBefore === undefined")
        )

    def confirm(self) -> None:
        """The second deliberate action: the confirmation page's button has the focus; Enter."""
        self.wait_for("#confirm")
        WebDriverWait(self.driver, WAIT_S).until(
            lambda d: d.switch_to.active_element.get_attribute("id") == "confirm"
        )
        self.driver.switch_to.active_element.send_keys(Keys.ENTER)

    def screenshot(self, name: str) -> Path:
        path = self.shots / f"console-{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def post_filing(self, filing: Filing) -> None:
        """POST the filing the way a kiosk does (signed envelope + signed headers)."""
        post = signed_post(filing, self.kiosk_key, datetime.now(UTC))
        with self.server.client() as client:
            response = client.post("/api/v1/filings", content=post.body, headers=post.headers)
        assert response.status_code == 201, response.text

    def heartbeat(
        self, backlog: int, master_version: str, stand: dict[str, object] | None = None
    ) -> None:
        """A signed heartbeat, as the kiosk's sync service sends it (``stand``: its own fields)."""
        import json

        body = json.dumps(
            {
                "backlog": backlog,
                "dead": 0,
                "master_version": master_version,
                "app_version": "0.1.0",
                **(stand or {}),
            }
        ).encode()
        path = "/api/v1/kiosks/heartbeat"
        auth = sign_request(self.kiosk_key, KIOSK_ID, "POST", path, body, datetime.now(UTC))
        with self.server.client() as client:
            response = client.post(
                path, content=body, headers={**auth.headers(), "Content-Type": "application/json"}
            )
        assert response.status_code == 204, response.text

    def filing_row(self, filing_id: str) -> dict[str, object] | None:
        with self.server.engine.connect() as conn:
            found = (
                conn.execute(
                    text(
                        "SELECT status, source, reject_reason, decided_by FROM filings"
                        " WHERE filing_id = :f"
                    ),
                    {"f": filing_id},
                )
                .mappings()
                .first()
            )
        return dict(found) if found else None

    def audit_actions(self, filing_id: str) -> list[tuple[str, str]]:
        with self.server.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT action, actor FROM audit_log WHERE subject_id = :f"
                    " ORDER BY at, audit_id"
                ),
                {"f": filing_id},
            ).all()
        return [(str(r[0]), str(r[1])) for r in rows]


def _driver(spki: str, profile: Path) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--ignore-certificate-errors-spki-list={spki}")
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


@pytest.fixture
def console(intake_server: IntakeServer, artifacts_dir: Path) -> Iterator[Console]:
    """A running intake with an enrolled kiosk and a staff account, and a browser on it."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Debian chromium and chromium-driver are not installed")
    key = Ed25519PrivateKey.generate()
    token = intake_server.create_token(KIOSK_ID)
    with intake_server.client() as client:
        response = client.post(
            "/api/v1/kiosks/enrol",
            json={"token": token, "kiosk_id": KIOSK_ID, "public_key": b64(raw_public_key(key))},
        )
    assert response.status_code == 201, response.text
    store.create_staff(
        intake_server.engine,
        STAFF_USER,
        STAFF_PASSWORD,
        now=datetime.now(UTC),
        actor="test",
        role="supervisor",  # the browser tests export too
    )
    server_pem = (intake_server.data_dir / "tls" / "server.pem").read_bytes()
    profile = Path(tempfile.mkdtemp(prefix="console-chromium-"))
    driver = _driver(spki_hash(server_pem), profile)
    try:
        yield Console(intake_server, driver, key, artifacts_dir)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
