"""The stand's self-check from the staff menu, by touches: the checks of ``kiosk.tech diagnose`` on
screen with their states in words, a pulled reader shown as a problem with its remedy, and the kiosk
staying on the staff screens while a device is out (issue 16 "Diagnose on the stand")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.kivy import DemoRunner

pytestmark = [pytest.mark.ui]

STAFF_PIN = [{"tap": "staff_corner"}] * 5 + [{"type": "0000"}, {"tap": "text_ok"}]
SCRIPT = [
    *STAFF_PIN,
    {"expect": "maintenance"},
    {"tap": "mt_diagnose"},
    {"expect": "diagnose"},
    {"wait": 3},
    {"expect_text": "○ OK — card reader"},
    {"expect_text": "free space"},
    {"expect_text": "outbox"},
    {"unplug": "reader"},
    {"wait": 1.5},
    {"tap": "dg_again"},
    {"wait": 3},
    {"expect": "diagnose"},  # a missing device does not throw staff out of the self-check
    {"expect_text": "× Problem — card reader"},
    {"expect_text": "plug the card reader in firmly"},
    {"replug": "reader"},
    {"wait": 1.5},
    {"tap": "dg_back"},
    {"expect": "maintenance"},
    {"tap": "mt_close"},
    {"expect": "welcome"},
]


def test_self_check_on_screen_by_touches(kiosk_demo: DemoRunner, tmp_path: Path) -> None:
    script = tmp_path / "self_check_script"
    script.with_suffix(".json").write_text(json.dumps({"steps": SCRIPT}))
    run = kiosk_demo([str(script)], "staff_diagnose", languages=["en"])
    assert run.returncode == 0, run.log
    assert run.failure == "", run.failure
    assert "diagnose" in run.summary["screens"]
    assert sorted(run.screenshots.glob("*_diagnose.png")), run.log
