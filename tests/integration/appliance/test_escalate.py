"""kiosk-escalate reboots a failing UI, but not more than KIOSK_MAX_ESCALATIONS times an hour."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "systemd/libexec/kiosk-escalate"


def run(tmp_path: Path, log: Path) -> tuple[int, str, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    calls = tmp_path / "systemctl.calls"
    fake = bin_dir / "systemctl"
    fake.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", KIOSK_MAX_ESCALATIONS="3")
    proc = subprocess.run(["sh", str(SCRIPT), str(log)], capture_output=True, text=True, env=env)
    return proc.returncode, proc.stderr, calls.read_text().splitlines() if calls.exists() else []


def test_reboots_and_records_each_escalation(tmp_path):
    log = tmp_path / "escalations"
    rc, err, calls = run(tmp_path, log)
    assert rc == 0 and calls == ["--no-block reboot"]
    assert "escalation 1/3" in err
    assert len(log.read_text().split()) == 1


def test_stops_rebooting_after_the_hourly_limit(tmp_path):
    log = tmp_path / "escalations"
    now = int(time.time())
    log.write_text(f"{now - 7200}\n{now - 600}\n{now - 300}\n{now - 60}\n")
    rc, err, calls = run(tmp_path, log)
    assert rc == 0 and calls == []
    assert "not rebooting" in err


def test_old_escalations_do_not_count(tmp_path):
    log = tmp_path / "escalations"
    now = int(time.time())
    log.write_text(f"{now - 7200}\n{now - 5000}\n{now - 4000}\n")
    _, _, calls = run(tmp_path, log)
    assert calls == ["--no-block reboot"]
