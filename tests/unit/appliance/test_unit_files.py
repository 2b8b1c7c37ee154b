"""Static guarantees of the unit files, udev rules and journald drop-in (parsed, not run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.hardware.hotplug.classify import classify

SYSTEMD = Path(__file__).resolve().parents[3] / "systemd"


def parse_unit(path: Path) -> dict[str, list[str]]:
    """``Section.Key`` → values in order (systemd allows repeated keys)."""
    out: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        out.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return out


def unit(name: str) -> dict[str, list[str]]:
    return parse_unit(SYSTEMD / "system" / name)


def one(u: dict[str, list[str]], key: str) -> str:
    values = u[key]
    assert len(values) == 1, f"{key} set {len(values)} times"
    return values[0]


def words(u: dict[str, list[str]], key: str) -> set[str]:
    return {w for v in u.get(key, []) for w in v.split()}


def test_ui_is_a_notify_service_with_a_watchdog_and_escalating_restarts():
    ui = unit("kiosk-ui.service")
    assert one(ui, "Service.Type") == "notify"
    assert one(ui, "Service.WatchdogSec") == "30s"
    assert one(ui, "Service.Restart") == "always"
    assert int(one(ui, "Unit.StartLimitBurst")) >= 3
    assert one(ui, "Unit.OnFailure") == "kiosk-ui-escalate.service"
    assert (SYSTEMD / "system" / "kiosk-ui-escalate.service").exists()
    assert one(ui, "Service.ExecStart") == "/opt/kiosk/venv/bin/python -m kiosk"


def test_ui_runs_as_kiosk_on_tty1_with_device_groups():
    ui = unit("kiosk-ui.service")
    assert one(ui, "Service.User") == "kiosk"
    assert one(ui, "Service.TTYPath") == "/dev/tty1"
    assert one(ui, "Service.PAMName") == "login"
    assert {"video", "render", "input", "lp", "audio", "kiosk-dev"} <= words(
        ui, "Service.SupplementaryGroups"
    )
    assert "getty@tty1.service" in words(ui, "Unit.Conflicts")


def test_ui_hardening_keeps_drm_and_input_reachable():
    ui = unit("kiosk-ui.service")
    assert "Service.PrivateDevices" not in ui, "PrivateDevices hides /dev/dri and /dev/input"
    assert one(ui, "Service.DevicePolicy") == "closed"
    allowed = {v.split()[0] for v in ui["Service.DeviceAllow"]}
    assert {"char-drm", "char-input", "char-usb_device", "char-usb", "char-alsa"} <= allowed
    assert one(ui, "Service.ProtectSystem") == "strict"
    assert one(ui, "Service.NoNewPrivileges") == "yes"
    assert "AF_NETLINK" in words(ui, "Service.RestrictAddressFamilies")  # pyudev


@pytest.mark.parametrize(
    "name", ["kiosk-ui.service", "kiosk-sync.service", "kiosk-master-sync.service"]
)
def test_services_come_after_firstboot_and_keep_state_on_the_data_partition(name):
    u = unit(name)
    assert "kiosk-firstboot.service" in words(u, "Unit.After")
    assert "/var/lib/kiosk" in words(u, "Unit.RequiresMountsFor")
    assert any(
        "KIOSK_CONFIG=/var/lib/kiosk/config/kiosk.toml" in v for v in u["Service.Environment"]
    )


def test_ui_is_ordered_after_pcscd_which_runs_from_boot():
    ui = unit("kiosk-ui.service")
    assert {"pcscd.socket", "pcscd.service"} <= words(ui, "Unit.After")
    assert "pcscd.socket" in words(ui, "Unit.Wants")
    # Debian's pcscd is socket-activated; the kiosk starts it at boot (found by the QEMU smoke).
    assert "pcscd.service" in words(unit("kiosk.target"), "Unit.Wants")


def test_sync_runs_the_sender_and_master_pull_runs_from_a_timer():
    assert one(unit("kiosk-sync.service"), "Service.ExecStart").endswith("-m server_sync run")
    assert one(unit("kiosk-master-sync.service"), "Service.ExecStart").endswith(
        "-m server_sync pull-master"
    )
    timer = unit("kiosk-master-sync.timer")
    assert timer["Timer.OnCalendar"] and one(timer, "Install.WantedBy") == "timers.target"


def test_firstboot_runs_once_per_card_and_only_when_provisioned():
    fb = unit("kiosk-firstboot.service")
    conditions = fb["Unit.ConditionPathExists"]
    assert "!/var/lib/kiosk/.provisioned" in conditions
    assert "/boot/firmware/kiosk/kiosk.toml" in conditions
    assert "-m kiosk.tech firstboot" in one(fb, "Service.ExecStart")
    assert {"kiosk-ui.service", "kiosk-sync.service"} <= words(fb, "Unit.Before")


def test_journal_never_reaches_the_sd_card():
    journald = parse_unit(SYSTEMD / "journald" / "kiosk.conf")
    assert one(journald, "Journal.Storage") in ("volatile", "none")
    assert one(journald, "Journal.ForwardToSyslog") == "no"


def test_pcscd_dropin_keeps_pcscd_running_without_auto_exit():
    dropin = parse_unit(SYSTEMD / "pcscd" / "kiosk.conf")
    assert dropin["Service.ExecStart"][0] == ""  # reset first
    assert "--auto-exit" not in dropin["Service.ExecStart"][1]


def _rule_vendors(role: str) -> set[str]:
    out = set()
    lines = (SYSTEMD / "udev" / "70-kiosk.rules").read_text().replace("\\\n", " ").splitlines()
    for line in lines:
        if f'ENV{{KIOSK_ROLE}}="{role}"' in line:
            out.update(re.findall(r'ATTR\{idVendor\}=="([0-9a-f|]+)"', line))
    return {v for group in out for v in group.split("|")}


@pytest.mark.parametrize(("role", "interfaces"), [("reader", ":ff0000:"), ("printer", ":ff0000:")])
def test_udev_rules_and_the_hotplug_classifier_agree_on_vendors(role, interfaces):
    vendors = _rule_vendors(role)
    assert vendors, f"no vendor rules for {role}"
    for vid in vendors:
        pid = "06c3" if vid == "054c" else "0001"
        props = {"ID_VENDOR_ID": vid, "ID_MODEL_ID": pid, "ID_USB_INTERFACES": interfaces}
        kind = classify(props)
        assert kind is not None and kind.value == role, vid


def test_udev_rules_give_devices_to_groups_in_sysusers():
    rules = (SYSTEMD / "udev" / "70-kiosk.rules").read_text()
    sysusers = (SYSTEMD / "sysusers" / "kiosk.conf").read_text()
    for group in set(re.findall(r'GROUP="([a-z-]+)"', rules)):
        assert re.search(rf"^m kiosk {group}$", sysusers, re.M), group
