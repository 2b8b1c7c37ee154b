"""Config, sd_notify, idle timer and the address picker: plain logic with real I/O where cheap."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kiosk import sdnotify
from kiosk.config import KioskConfigError, load_config
from kiosk.flows.address_picker import AddressPicker, Level
from kiosk.flows.idle import IdleState, IdleTimer
from kiosk.forms.master import AddressMaster


def test_sd_notify_sends_ready_and_watchdog_datagrams(tmp_path: Path) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(path))
        env = {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "10000000"}
        assert sdnotify.notify("READY=1", env)
        assert server.recv(64) == b"READY=1"
        assert sdnotify.watchdog_interval_s(env) == 5.0
    assert not sdnotify.notify("READY=1", {})
    assert sdnotify.watchdog_interval_s({}) is None


def test_idle_timer_warns_then_expires() -> None:
    now = [100.0]
    timer = IdleTimer(60, 90, now=lambda: now[0])
    assert timer.state() is IdleState.ACTIVE
    now[0] += 61
    assert timer.state() is IdleState.WARNING
    timer.touch()
    assert timer.state() is IdleState.ACTIVE
    timer.skew(91)
    assert timer.state() is IdleState.EXPIRED


def test_config_reads_toml_then_environment(tmp_path: Path) -> None:
    toml = tmp_path / "kiosk.toml"
    toml.write_text('[kiosk]\ncounter = "3"\nidle_reset_s = 120\nlarge_text = true\n')
    config = load_config(toml, environ={"KIOSK_UI_COUNTER": "5"})
    assert config.counter == "5" and config.idle_reset_s == 120.0 and config.large_text
    assert config.staff_pin_ok("0000") and not config.staff_pin_ok("1234")
    with pytest.raises(KioskConfigError) as err:
        load_config(toml, environ={"KIOSK_UI_IDLE_WARNING_S": "500"})
    assert err.value.key == "idle_warning_s"
    toml.write_text("[kiosk]\nbogus = 1\n")
    with pytest.raises(KioskConfigError):
        load_config(toml, environ={})


def test_address_picker_walks_town_chome_block_residence(sample_master: Path) -> None:
    with AddressMaster.open(sample_master) as master:
        picker = AddressPicker(master)
        picker.kana_row = "サ"
        assert {o.key for o in picker.options()} >= {"新宿"}
        assert "西新宿" not in {o.key for o in picker.options()}
        assert picker.choose("新宿") is None and picker.level is Level.CHOME
        assert picker.choose("0020003") is None and picker.level is Level.BLOCK
        assert picker.choose("5") is None and picker.level is Level.RESIDENCE
        address = picker.choose("2")
        assert address is not None and address.display() == "東京都新宿区新宿三丁目5番2号"
        assert picker.back() and picker.level is Level.BLOCK


def test_address_picker_parcel_town(sample_master: Path) -> None:
    with AddressMaster.open(sample_master) as master:
        picker = AddressPicker(master)
        picker.choose("北町")
        assert picker.level is Level.CHIBAN
        address = picker.choose("12-3")
        assert address is not None and address.display().endswith("北町12番地3")
