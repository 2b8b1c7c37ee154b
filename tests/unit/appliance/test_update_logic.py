"""Update decisions: staged rollout, install flow, health-gated commit or roll-back (no device)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.tech.update import (
    Channel,
    Committer,
    UpdateError,
    Updater,
    commit_or_roll_back,
    in_rollout,
    on_trial_boot,
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


def _committer(trial: bool, healthy: bool, calls: list[str]) -> Committer:
    return Committer(on_trial=lambda: trial, healthy=lambda: healthy,
                     mark=lambda s: calls.append(f"mark-{s}"),
                     reboot=lambda: calls.append("reboot"))  # fmt: skip


def test_a_healthy_trial_commits_an_unhealthy_one_rolls_back():
    calls: list[str] = []
    assert "marked good" in commit_or_roll_back(_committer(True, True, calls))
    assert calls == ["mark-good"]
    calls.clear()
    assert "previous slot" in commit_or_roll_back(_committer(True, False, calls))
    assert calls == ["mark-bad", "reboot"]
    calls.clear()
    assert "not a trial" in commit_or_roll_back(_committer(False, False, calls))
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


def test_the_trial_boot_is_told_apart_by_config_txt_and_the_kernel_command_line(tmp_path):
    (tmp_path / "config.txt").write_text("[all]\narm_64bit=1\nos_prefix=a/\n")
    cmdline = tmp_path / "cmdline"
    cmdline.write_text("root=PARTLABEL=rootfs_b ro rauc.slot=b quiet\n")
    assert on_trial_boot(tmp_path, cmdline)
    cmdline.write_text("root=PARTLABEL=rootfs_a ro rauc.slot=a quiet\n")
    assert not on_trial_boot(tmp_path, cmdline)
