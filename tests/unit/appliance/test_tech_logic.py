"""Pure logic of the technician tool: target refusal rules, site files, checks, first boot."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest

from kiosk.tech.checks import (
    CheckResult,
    CheckStatus,
    DiagnoseContext,
    check_clock,
    check_display,
    check_enrolment,
    check_intake,
    check_printer,
    check_reader,
    render_report,
    run_checks,
)
from kiosk.tech.errors import ProvisioningError, SiteConfigError, TargetRefusedError
from kiosk.tech.firstboot import EnrolRequest, run_firstboot
from kiosk.tech.progress import Progress
from kiosk.tech.site import load_site, render_kiosk_toml, validate_kiosk_id
from kiosk.tech.target import (
    MAX_TARGET_BYTES,
    TargetFacts,
    TargetKind,
    check_target,
    refusal_reason,
)
from tests.integration.appliance.synthetic_image import self_signed_pem

GB = 1000**3
SD = TargetFacts("/dev/sdb", TargetKind.DISK, 32 * GB, removable=True, transport="usb")


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (SD, None),
        (TargetFacts("/dev/mmcblk0", TargetKind.DISK, 16 * GB, transport="mmc"), None),
        (TargetFacts("/dev/loop3", TargetKind.LOOP, 1 * GB), None),
        (TargetFacts("card.img", TargetKind.FILE), None),
        (TargetFacts("/dev/sda", TargetKind.DISK, 500 * GB, holds_root=True), "root file system"),
        (TargetFacts("/dev/sdb1", TargetKind.PARTITION), "partition"),
        (TargetFacts("/dev/sdb", TargetKind.DISK, 32 * GB, True, "usb", ("/media/x",)), "mounted"),
        (
            TargetFacts("/dev/sdc", TargetKind.DISK, 1000 * GB, True, "usb"),
            "larger than an SD card",
        ),
        (TargetFacts("/dev/nvme0n1", TargetKind.DISK, 128 * GB), "system disk"),
        (
            TargetFacts("/dev/sdb", TargetKind.DISK, 8 * GB, True, "usb", in_use_by=("dm-0",)),
            "dm-0",
        ),
        (TargetFacts("/dev/null", TargetKind.OTHER), "not a regular file"),
    ],
)
def test_refusal_rules(facts, reason):
    got = refusal_reason(facts)
    assert got is None if reason is None else reason in (got or "")


def test_force_size_allows_only_the_size_rule():
    big = TargetFacts("/dev/sdc", TargetKind.DISK, MAX_TARGET_BYTES + 1, True, "usb")
    assert refusal_reason(big, force_size=True) is None
    root = TargetFacts(
        "/dev/sda", TargetKind.DISK, MAX_TARGET_BYTES + 1, True, "usb", holds_root=True
    )
    with pytest.raises(TargetRefusedError) as err:
        check_target(root, force_size=True)
    assert err.value.code == "target_refused" and err.value.target == "/dev/sda"


CERT = self_signed_pem("unit test CA").decode()


def _site(tmp_path: Path, body: str, ca: str | None = CERT) -> Path:
    if ca is not None:
        (tmp_path / "ca.pem").write_text(ca)
    path = tmp_path / "site.toml"
    path.write_text(body)
    return path


GOOD = '[site]\nname = "Hall"\nintake_url = "https://i.example:8443"\nca_file = "ca.pem"\n'


@pytest.mark.parametrize(
    ("body", "ca", "problem"),
    [
        ("not toml = = =", "", "cannot read"),
        ('[site]\nca_file = "ca.pem"\n', CERT, "intake_url is required"),
        (
            GOOD.replace("https://i.example:8443", "ftp://x"),
            CERT,
            "not an http",
        ),
        (GOOD, None, "cannot read ca_file"),
        (GOOD, "hello", "not a parseable certificate"),
        (
            GOOD,
            "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n",
            "not a parseable certificate",
        ),
        (
            GOOD + '[tokens]\n"bad id!" = "tok_123456789"\n',
            CERT,
            "not a valid",
        ),
        (GOOD + '[tokens]\n"k1" = "short"\n', CERT, "not a valid"),
    ],
    # fixed ids: CERT is made afresh at import, and pytest-xdist workers must collect the same ids
    ids=[
        "not-toml",
        "no-intake-url",
        "ftp-url",
        "no-ca-file",
        "ca-not-pem",
        "ca-fake-pem",
        "bad-kiosk-id",
        "short-token",
    ],  # fmt: skip
)
def test_bad_site_files_are_refused_with_the_reason(tmp_path, body, ca, problem):
    with pytest.raises(SiteConfigError) as err:
        load_site(_site(tmp_path, body, ca))
    assert problem in err.value.problem
    assert err.value.code == "site_config_invalid"


def test_kiosk_toml_is_valid_toml_even_with_quotes_in_values(tmp_path):
    site = load_site(_site(tmp_path, GOOD.replace('"Hall"', '"Hall \\"East\\""')))
    text = render_kiosk_toml(site, "k-1", "ab" * 32)
    parsed = tomllib.loads(text)
    assert parsed["sync"]["kiosk_id"] == "k-1"
    assert parsed["sync"]["intake_url"] == "https://i.example:8443"
    assert "tok" not in text


@pytest.mark.parametrize("bad", ["", "-x", "a b", "a/b", "x" * 65, "kiosk\n1"])
def test_invalid_kiosk_ids_are_refused(bad):
    with pytest.raises(SiteConfigError):
        validate_kiosk_id(bad)


def test_progress_prints_deciles_when_not_a_tty():
    out = io.StringIO()
    bar = Progress("write", 100 * 1024 * 1024, out)
    for done in range(0, 100 * 1024 * 1024 + 1, 1024 * 1024):
        bar.update(done)
    bar.finish()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("write: 0%") and lines[-1].startswith("write: 100%")
    assert len(lines) == 11


def test_checks_report_ok_fail_and_unavailable():
    assert check_reader(lambda: ["Sony RC-S380 00 00"]).status is CheckStatus.OK
    assert check_reader(lambda: []).status is CheckStatus.FAIL

    def broken() -> list[str]:
        raise OSError("no pcscd")

    assert "pcscd not reachable" in check_reader(broken).detail


def test_printer_check_uses_config_then_usb(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    ctx = DiagnoseContext(config_path=cfg, state_dir=tmp_path)
    assert check_printer(ctx, usb_printers=lambda: []).status is CheckStatus.FAIL
    assert check_printer(ctx, usb_printers=lambda: ["04b8:0e15 TM-T20II"]).status is CheckStatus.OK
    cfg.write_text('[kiosk.printer]\nkind = "memory"\n')

    def paper_out(_: dict[str, object]) -> str:
        raise RuntimeError("paper out")

    result = check_printer(ctx, open_status=paper_out)
    assert result.status is CheckStatus.FAIL and "paper out" in result.detail


def test_display_check_reads_drm_connectors(tmp_path):
    dri, drm = tmp_path / "dri", tmp_path / "drm"
    assert check_display(drm, dri).status is CheckStatus.FAIL
    dri.mkdir()
    (dri / "card0").touch()
    (drm / "card0-HDMI-A-1").mkdir(parents=True)
    (drm / "card0-HDMI-A-1/status").write_text("disconnected\n")
    assert "no screen connected" in check_display(drm, dri).detail
    (drm / "card0-HDMI-A-1/status").write_text("connected\n")
    assert check_display(drm, dri).status is CheckStatus.OK


def test_clock_check():
    assert check_clock(lambda: 0.0, lambda: True).status is CheckStatus.FAIL  # 1970
    assert check_clock(lambda: 1.8e9, lambda: True).status is CheckStatus.OK
    assert check_clock(lambda: 1.8e9, lambda: False).status is CheckStatus.WARN


def test_intake_and_enrolment_checks(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    ctx = DiagnoseContext(config_path=cfg, state_dir=tmp_path, boot_dir=tmp_path / "boot")
    assert check_intake(ctx).status is CheckStatus.FAIL  # not configured
    cfg.write_text('[sync]\nkiosk_id = "k1"\nintake_url = "https://i.example/"\n')
    seen = []

    def fetch(url: str, ca: Path | None) -> int:
        seen.append(url)
        return 200

    assert check_intake(ctx, fetch).status is CheckStatus.OK
    assert seen == ["https://i.example/healthz"]

    def refuse(url: str, ca: Path | None) -> int:
        raise ConnectionRefusedError("refused")

    assert check_intake(ctx, refuse).status is CheckStatus.FAIL
    assert check_enrolment(ctx).status is CheckStatus.FAIL
    (tmp_path / "enrolment.json").write_text("{}")
    assert "k1 enrolled" in check_enrolment(ctx).detail


def test_a_crashing_check_does_not_stop_the_others():
    def boom() -> CheckResult:
        raise ZeroDivisionError

    results = run_checks([boom, lambda: CheckResult("x", CheckStatus.OK, "fine")])
    assert [r.status for r in results] == [CheckStatus.FAIL, CheckStatus.OK]
    assert render_report(results).endswith("1 check(s) failed")


def _boot(tmp_path: Path, token: str = "tok_0123456789") -> tuple[Path, Path]:
    boot, state = tmp_path / "boot", tmp_path / "state"
    boot.mkdir()
    state.mkdir()
    (boot / "kiosk.toml").write_text('[sync]\nkiosk_id = "k1"\nintake_url = "https://i.example"\n')
    (boot / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    (boot / "enrol-token").write_text(token + "\n")
    return boot, state


def test_firstboot_installs_config_enrols_once_and_removes_the_token(tmp_path):
    boot, state = _boot(tmp_path)
    calls: list[EnrolRequest] = []

    def enrol(req: EnrolRequest) -> None:
        calls.append(req)
        (req.state_dir / "enrolment.json").write_text("{}")

    pulls: list[str] = []

    def pull(req: EnrolRequest) -> str | None:
        pulls.append(req.kiosk_id)
        return "no master published"

    outcome = run_firstboot(boot, state, None, enrol, pull)
    assert "k1 enrolled" in outcome
    assert pulls == ["k1"] and "master pull failed: no master published" in outcome
    assert [(c.kiosk_id, c.token, c.url) for c in calls] == [
        ("k1", "tok_0123456789", "https://i.example")
    ]
    assert (state / "config/kiosk.toml").read_bytes() == (boot / "kiosk.toml").read_bytes()
    assert (state / "config/ca.pem").exists()
    assert not (boot / "enrol-token").exists()
    assert (state / ".provisioned").exists()
    assert run_firstboot(boot, state, None, enrol, pull) == "already provisioned"
    assert len(calls) == 1


def test_firstboot_keeps_the_token_when_enrolment_fails(tmp_path):
    boot, state = _boot(tmp_path)

    def refused(req: EnrolRequest) -> None:
        raise ProvisioningError("enrolment failed (exit 1): bad_token")

    with pytest.raises(ProvisioningError):
        run_firstboot(boot, state, None, refused, lambda req: None)
    assert (boot / "enrol-token").exists()
    assert not (state / ".provisioned").exists()


def test_firstboot_refuses_a_malformed_token(tmp_path):
    boot, state = _boot(tmp_path, token="x y")
    with pytest.raises(ProvisioningError, match="valid token"):
        run_firstboot(boot, state, None, lambda req: None)
