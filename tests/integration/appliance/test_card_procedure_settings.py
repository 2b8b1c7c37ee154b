"""The two card-procedure switches of kiosk.toml: defaults, config-check, wrong types refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integration.appliance.synthetic_image import self_signed_pem

REPO = Path(__file__).resolve().parents[3]


def _config_check(tmp_path: Path, kiosk_table: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "ca.pem").write_bytes(self_signed_pem("Test intake CA"))
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        f'[sync]\nkiosk_id = "k-1"\nintake_url = "https://i.example"\n'
        f'ca_file = "{tmp_path / "ca.pem"}"\n[kiosk]\nlanguage = "ja"\n{kiosk_table}',
        encoding="utf-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "kiosk.tech", "config-check", str(cfg)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


def test_defaults_offer_honseki_registration_and_not_the_seal_binding(tmp_path: Path) -> None:
    proc = _config_check(tmp_path, "")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["card_procedures"] == {
        "seal_card_binding_enabled": False,
        "honseki_registration_enabled": True,
    }


def test_a_ward_turns_the_seal_binding_on(tmp_path: Path) -> None:
    proc = _config_check(
        tmp_path, "seal_card_binding_enabled = true\nhonseki_registration_enabled = false\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["card_procedures"] == {
        "seal_card_binding_enabled": True,
        "honseki_registration_enabled": False,
    }


def test_a_switch_that_is_not_a_boolean_is_refused(tmp_path: Path) -> None:
    proc = _config_check(tmp_path, "seal_card_binding_enabled = 3\n")
    assert proc.returncode == 2
    assert "seal_card_binding_enabled" in proc.stdout + proc.stderr
