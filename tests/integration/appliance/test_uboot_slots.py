"""The A/B slot switch in real U-Boot: the image's boot.scr (RAUC's uboot protocol) run by Debian's
U-Boot for QEMU, libubootenv on the same uboot.env, and kiosk.tech's health-gated commit deciding
from RAUC's state (tests/integration/appliance/uboot_harness.py). The whole image doing the same
with real RAUC and a real kernel: image-build/slot-switch.sh (slow, outside .ci/run)."""

from __future__ import annotations

import pytest

from kiosk.tech.slot_state import boot_state
from kiosk.tech.update import Committer, commit_or_roll_back
from tests.integration.appliance.uboot_harness import (
    BOOT_ATTEMPTS,
    BOOT_ATTEMPTS_PRIMARY,
    SYSTEM_CONF,
    BootPartition,
)


@pytest.fixture
def part(tmp_path) -> BootPartition:
    return BootPartition(tmp_path)


def test_rauc_is_configured_for_the_uboot_protocol_boot_scr_implements():
    conf = SYSTEM_CONF.read_text()
    assert "bootloader=uboot" in conf
    assert "bootname=A" in conf and "bootname=B" in conf
    assert BOOT_ATTEMPTS_PRIMARY == 1 and BOOT_ATTEMPTS == 3


def test_a_fresh_image_boots_slot_a_and_counts_the_attempt_before_it(part):
    assert part.boot() == "A"
    assert part.env() == {"BOOT_ORDER": "A B", "BOOT_A_LEFT": "2", "BOOT_B_LEFT": "0"}


def test_a_slot_without_a_kernel_is_never_tried(part):
    part.rauc_set_primary("B")  # as if rauc-post-install had not copied b/
    assert part.boot() == "A"
    assert part.env()["BOOT_B_LEFT"] == "1"


def _committer(part: BootPartition, booted: str, healthy: bool, reboots: list[str]) -> Committer:
    return Committer(
        state=lambda: boot_state(part.rauc_status(booted)),
        healthy=lambda: healthy,
        mark=lambda state: part.rauc_mark(booted, state),
        reboot=lambda: reboots.append("reboot"),
    )


@pytest.mark.parametrize("healthy", [True, False])
def test_install_trial_and_the_health_gate_decide_the_next_boots(part, healthy):
    reboots: list[str] = []
    assert part.boot() == "A"
    msg = commit_or_roll_back(_committer(part, "A", True, reboots))
    assert "not a trial" in msg and part.env()["BOOT_A_LEFT"] == f"{BOOT_ATTEMPTS:x}"

    part.install_kernel("b")  # rauc install: the slot written, b/ copied, B first with 1 attempt
    part.rauc_set_primary("B")
    assert part.env()["BOOT_ORDER"] == "B A"
    assert part.boot() == "B"  # the plain reboot after the install tries B
    state = boot_state(part.rauc_status("B"))
    assert state.trial and state.fallback == "A" and state.primary == "A"
    assert part.env()["BOOT_B_LEFT"] == "0"  # no attempt left: only mark-good keeps B

    msg = commit_or_roll_back(_committer(part, "B", healthy, reboots))
    if healthy:
        assert "marked good (committed)" in msg and reboots == []
        assert [part.boot(), part.boot()] == ["B", "B"]  # committed: B from now on
        assert not boot_state(part.rauc_status("B")).trial
    else:
        assert "rebooting into the previous slot A" in msg and reboots == ["reboot"]
        assert part.env()["BOOT_ORDER"] == "A"
        assert part.boot() == "A"
        assert not boot_state(part.rauc_status("A")).trial


def test_a_trial_that_never_reaches_the_gate_falls_back_by_itself(part):
    part.install_kernel("b")
    part.rauc_set_primary("B")
    assert part.boot() == "B"  # e.g. the new kernel panics, or the power is cut
    assert part.boot() == "A"
    assert part.env() == {"BOOT_ORDER": "B A", "BOOT_A_LEFT": "2", "BOOT_B_LEFT": "0"}


def test_with_no_attempts_left_anywhere_boot_scr_starts_over_with_slot_a(part):
    part.fw_setenv("BOOT_A_LEFT", "0")
    assert part.boot() == ""  # nothing chosen: counters reset, U-Boot resets
    assert part.env() == {"BOOT_ORDER": "A B", "BOOT_A_LEFT": "3", "BOOT_B_LEFT": "0"}
    assert part.boot() == "A"


def test_the_boot_partition_holds_what_u_boot_needs(part):
    assert {"boot.scr", "uboot.env"} <= {f.rsplit("/", 1)[-1] for f in part.files()}
