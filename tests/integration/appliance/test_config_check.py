"""``python -m kiosk.tech config-check``: good and bad site files and kiosk.toml files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.appliance.synthetic_image import make_site, self_signed_pem

REPO = Path(__file__).resolve().parents[3]


def config_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.tech", "config-check", str(path)],
        capture_output=True, text=True, cwd=path.parent, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def test_a_good_site_file_prints_the_effective_settings(tmp_path):
    (tmp_path / "jpki-root.pem").write_bytes(self_signed_pem("JPKI test root"))
    site = make_site(
        tmp_path,
        extra='[kiosk]\nlanguage = "en"\n[network]\ndns = ["192.0.2.53"]\n'
        'gateway = "192.0.2.1"\n[network.addresses]\n"kiosk-001" = "192.0.2.21/24"\n',
    )
    text = site.read_text().replace(
        'ca_file = "intake-ca.pem"\n',
        'ca_file = "intake-ca.pem"\ntrust_anchors = ["jpki-root.pem"]\nstaff_pin = "482913"\n'
        'proxy = "http://proxy.test.example:3128"\nntp = ["ntp.test.example"]\n',
    )
    site.write_text(text)
    proc = config_check(site)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["printer"]["kind"] == "usb"
    assert out["staff_pin"] == "set"
    assert out["intake_urls"] == ["https://intake.test.example:8443"]
    assert out["trust_anchors"] == 1
    assert out["proxy"] == "http://proxy.test.example:3128"
    assert (
        out["network"]["address"] == "192.0.2.21/24" and out["network"]["hostname"] == "kiosk-001"
    )
    assert out["network"]["ntp"] == ["ntp.test.example"]
    assert "482913" not in proc.stdout


def test_a_stand_kiosk_toml_with_the_demo_pin_says_default(tmp_path):
    (tmp_path / "ca.pem").write_bytes(self_signed_pem("Test intake CA"))
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[sync]\nkiosk_id = "k-1"\nintake_url = "https://i.example"\n'
                   f'ca_file = "{tmp_path / "ca.pem"}"\n[kiosk]\nlanguage = "ja"\n')  # fmt: skip
    out = json.loads(config_check(cfg).stdout)
    assert out["staff_pin"] == "default" and out["printer"] == {
        "kind": "memory", "profile": out["printer"]["profile"], "timeout_s": 5.0}  # fmt: skip
    assert out["trust_anchors"] == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('kind = "usb"', 'kind = "usbb"'), "kind: must be one of"),
        (("usb_product_id = 3624", 'usb_product_id = 3624\ntimeout_s = "five"'), "timeout_s"),
        (("[tokens]", 'colour = "red"\n[tokens]'), "colour: unknown setting"),
        (("[tokens]", "[tokenz]\n[tokens]"), "[tokenz]: unknown table"),
        (
            ('intake_url = "https://intake.test.example:8443"', 'intake_url = "ftp://x"'),
            "not an http(s) URL",
        ),
    ],
)
def test_bad_site_files_are_refused_in_one_line(tmp_path, change, expected):
    site = make_site(tmp_path)
    site.write_text(site.read_text().replace(*change))
    proc = config_check(site)
    assert proc.returncode == 2, proc.stdout
    assert expected in proc.stderr, proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr


def test_a_ca_file_that_is_not_a_certificate_is_refused(tmp_path):
    site = make_site(tmp_path)
    (tmp_path / "intake-ca.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n"
    )
    proc = config_check(site)
    assert proc.returncode == 2 and "not a parseable certificate" in proc.stderr


def test_an_unknown_key_in_a_stand_kiosk_toml_is_refused(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('[kiosk]\nlanguage = "ja"\nprinterr = "usb"\n')
    proc = config_check(cfg)
    assert proc.returncode == 2
    assert "[kiosk] printerr: unknown setting" in proc.stderr
