"""diagnose's state checks over real files: outbox rows, certificates, master data, summary line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.tech.checks import CheckResult, CheckStatus, DiagnoseContext, render_report
from kiosk.tech.checks_state import (
    check_certificates,
    check_master,
    check_outbox,
    check_settings,
    check_units,
)
from tests.integration.appliance.synthetic_image import self_signed_pem

SCHEMA = Path(__file__).resolve().parents[3] / "server_sync/outbox_schema/0001_init.sql"


def _ctx(tmp_path: Path, ca_days: int = 365) -> DiagnoseContext:
    (tmp_path / "ca.pem").write_bytes(self_signed_pem("Intake CA", days=ca_days))
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[sync]\nkiosk_id = "k1"\nintake_url = "https://i.example"\n'
                   f'ca_file = "{tmp_path / "ca.pem"}"\n')  # fmt: skip
    state = tmp_path / "state"
    state.mkdir(exist_ok=True)
    return DiagnoseContext(config_path=cfg, state_dir=state)


def test_dead_letters_are_red_and_backlog_is_counted(tmp_path):
    ctx = _ctx(tmp_path)
    assert check_outbox(ctx).status is CheckStatus.OK
    with sqlite3.connect(ctx.state_dir / "outbox.db") as conn:
        conn.executescript(SCHEMA.read_text())
        for seq, status in enumerate(("ready", "ready", "dead", "done")):
            conn.execute("INSERT INTO outbox (id, schema_version, created_at_ns, payload, status,"
                         " next_attempt_at_ns) VALUES (?, 1, 0, x'00', ?, 0)",
                         (f"m{seq}", status))  # fmt: skip
    result = check_outbox(ctx)
    assert result.status is CheckStatus.FAIL and result.detail == "backlog 2, dead letters 1"
    assert result.remedy


def test_an_expired_ca_is_red_and_a_demo_pin_is_a_warning(tmp_path):
    ctx = _ctx(tmp_path, ca_days=-2)
    ca, anchors = check_certificates(ctx)
    assert ca.status is CheckStatus.FAIL and "expired" in ca.detail
    assert anchors.status is CheckStatus.WARN  # none configured
    assert check_settings(ctx).status is CheckStatus.WARN


def test_master_data_version_and_units(tmp_path):
    ctx = _ctx(tmp_path)
    assert check_master(ctx).status is CheckStatus.FAIL
    version = ctx.state_dir / "master" / "2026-12-01.1"
    version.mkdir(parents=True)
    (ctx.state_dir / "master" / "current").symlink_to(version)
    assert check_master(ctx).detail == "version 2026-12-01.1"
    states = {"kiosk-sync.service": "failed"}
    result = check_units(lambda unit: states.get(unit, "active"))
    assert result.status is CheckStatus.FAIL and "kiosk-sync.service failed" in result.detail


def test_a_warning_never_reads_all_checks_passed():
    report = render_report([CheckResult("enrolment", CheckStatus.WARN, "token pending", "wait")])
    assert "all checks passed" not in report and report.endswith("1 warning(s)")
    assert "→ wait" in report
