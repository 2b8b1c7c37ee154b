"""Update decisions: staged rollout, install flow, health-gated commit or roll-back (no device)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.tech.slot_state import BootState, boot_state
from kiosk.tech.update import (
    Channel,
    Committer,
    UpdateError,
    Updater,
    commit_or_roll_back,
    in_rollout,
    rollout_bucket,
    run_update,
    wait_healthy,
)

SHA = "ab" * 32


def _channel(**rollout: object) -> Channel:
    return Channel.parse({"version": "1.5.0", "bundle": "kiosk-1.5.0.raucb", "sha256": SHA,
                          "rollout": rollout})  # fmt: skip


def test_a_share_takes_a_stable_subset_of_the_fleet():
    fleet = [f"kiosk-{n:03d}" for n in range(1000)]
    quarter = {k for k in fleet if in_rollout(_channel(share=0.25), k)}
    assert 180 < len(quarter) < 320
    half = {k for k in fleet if in_rollout(_channel(share=0.5), k)}
    assert quarter <= half  # raising the share only adds kiosks
    assert rollout_bucket("kiosk-001", "1.5.0") == rollout_bucket("kiosk-001", "1.5.0")
    assert not any(in_rollout(_channel(), k) for k in fleet)  # share 0, no list: nobody
    assert in_rollout(_channel(kiosks=["kiosk-007"]), "kiosk-007")


@pytest.mark.parametrize(
    "raw",
    [[], {"version": "1"}, {"version": "1", "bundle": "b", "sha256": "x"},
     {"version": "1", "bundle": "b", "sha256": SHA, "rollout": {"share": 2}}],
)  # fmt: skip
def test_bad_channel_files_are_refused(raw):
    with pytest.raises(UpdateError):
        Channel.parse(raw)


class FakeDevice:
    def __init__(self, version: str) -> None:
        self.version = version
        self.calls: list[str] = []

    def updater(self, channel: Channel) -> Updater:
        return Updater(
            channel=lambda: (channel, "https://central.example/updates/channel.json"),
            current_version=lambda: self.version,
            fetch=lambda url, sha: self.calls.append(f"fetch {url} {sha[:4]}") or Path("/b"),
            install=lambda path: self.calls.append(f"install {path}"),
            reboot=lambda: self.calls.append("reboot"),
        )


def test_an_update_in_the_rollout_is_fetched_installed_and_tried():
    dev = FakeDevice("1.4.0")
    out = run_update("kiosk-007", dev.updater(_channel(kiosks=["kiosk-007"])))
    assert "installed" in out
    assert dev.calls == ["fetch https://central.example/updates/kiosk-1.5.0.raucb abab",
                         "install /b", "reboot"]  # fmt: skip


def test_up_to_date_or_outside_the_rollout_does_nothing():
    dev = FakeDevice("1.5.0")
    assert "up to date" in run_update("kiosk-007", dev.updater(_channel(share=1.0)))
    dev = FakeDevice("1.4.0")
    assert "not in its rollout" in run_update("kiosk-008", dev.updater(_channel(kiosks=["x"])))
    assert dev.calls == []


def _committer(trial: bool, healthy: bool, calls: list[str], fallback: str = "A") -> Committer:
    state = BootState(booted="B" if trial else "A", primary="A", trial=trial, fallback=fallback)
    return Committer(state=lambda: state, healthy=lambda: healthy,
                     mark=lambda s: calls.append(f"mark-{s}"),
                     reboot=lambda: calls.append("reboot"))  # fmt: skip


def test_a_healthy_trial_commits_an_unhealthy_one_rolls_back():
    calls: list[str] = []
    assert "marked good" in commit_or_roll_back(_committer(True, True, calls))
    assert calls == ["mark-good"]
    calls.clear()
    assert "previous slot A" in commit_or_roll_back(_committer(True, False, calls))
    assert calls == ["mark-bad", "reboot"]
    calls.clear()
    # a committed slot's boot is confirmed at once: U-Boot counts every boot
    assert "not a trial" in commit_or_roll_back(_committer(False, False, calls))
    assert calls == ["mark-good"]
    calls.clear()
    # nothing to fall back to: rebooting could only start the same slot again
    assert "kept" in commit_or_roll_back(_committer(True, False, calls, fallback=""))
    assert calls == ["mark-good"]


def test_off_rauc_nothing_is_marked():
    calls: list[str] = []
    state = BootState(booted="", primary="", trial=False, fallback="")
    committer = Committer(
        state=lambda: state,
        healthy=lambda: True,
        mark=calls.append,
        reboot=lambda: calls.append("r"),
    )
    assert "nothing to commit" in commit_or_roll_back(committer)
    assert calls == []


def test_health_must_arrive_within_the_time_limit():
    now = [0.0]
    ready_at = 40.0

    def ui_ready() -> bool:
        return now[0] >= ready_at

    def sleep(s: float) -> None:
        now[0] += s

    assert wait_healthy([ui_ready, lambda: True], 60, 5, lambda: now[0], sleep)
    now[0] = 0.0
    assert not wait_healthy([ui_ready, lambda: True], 30, 5, lambda: now[0], sleep)
    assert now[0] >= 30


def _status(booted: str, a: str, b: str, primary: str | None) -> dict[str, object]:
    """``rauc status --detailed --output-format=json`` (RAUC's field names) for slots A and B."""

    def slot(name: str, bootname: str, boot_status: str) -> dict[str, object]:
        state = "booted" if bootname == booted else "inactive"
        return {
            name: {
                "class": "rootfs",
                "device": f"/dev/disk/by-partlabel/rootfs_{bootname}",
                "type": "ext4",
                "bootname": bootname,
                "state": state,
                "parent": None,
                "mountpoint": "/" if state == "booted" else None,
                "boot_status": boot_status,
                "slot_status": {"bundle": {"compatible": None}},
            }
        }

    return {
        "compatible": "jp-city-kiosk-pi4",
        "variant": "",
        "booted": booted,
        "boot_primary": primary,
        "slots": [slot("rootfs.0", "A", a), slot("rootfs.1", "B", b)],
    }


def test_the_trial_boot_is_told_apart_by_rauc_state():
    # after `rauc install` + reboot: U-Boot spent B's only attempt: RAUC says B "bad", A primary
    trial = boot_state(_status("B", "good", "bad", "rootfs.0"))
    assert trial == BootState(booted="B", primary="A", trial=True, fallback="A")
    committed = boot_state(_status("B", "good", "good", "rootfs.1"))
    assert committed == BootState(booted="B", primary="B", trial=False, fallback="A")
    factory = boot_state(_status("A", "good", "bad", "rootfs.0"))  # fresh image: B empty
    assert factory == BootState(booted="A", primary="A", trial=False, fallback="")
    lone = boot_state(_status("A", "bad", "bad", None))  # A never confirmed 3 times, B empty
    assert lone.trial and lone.fallback == "" and lone.primary == ""
    assert boot_state({"booted": None, "slots": []}).booted == ""
