"""The stand's side of the heartbeat: image id, boot slot and the UI's device-state file."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from server_sync.rollout import Published, RolloutState, read_published, rollout_state
from server_sync.stand_report import (
    DEVICE_STATE_FILE,
    DEVICE_STATE_MAX_AGE_S,
    boot_slot,
    image_version,
    read_device_state,
    stand_report,
    write_device_state,
)
from server_sync.transport import heartbeat_document


def test_image_version_and_slot_are_read_from_the_image_and_the_kernel(tmp_path: Path) -> None:
    image_id = tmp_path / "kiosk-image-id"
    image_id.write_text("KIOSK_IMAGE_ID=20261207-1a2b3c\n")
    cmdline = tmp_path / "cmdline"
    cmdline.write_text("console=tty1 root=/dev/mmcblk0p2 rauc.slot=b quiet\n")
    assert image_version(image_id) == "20261207-1a2b3c"
    assert boot_slot(cmdline) == "b"
    assert image_version(tmp_path / "absent") is None  # off-device
    cmdline.write_text("console=tty1 quiet\n")
    assert boot_slot(cmdline) is None
    image_id.write_text("KIOSK_IMAGE_ID=$(rm -rf /)\n")
    assert image_version(image_id) is None  # never passed on unchecked


def test_device_state_round_trip_and_distrust(tmp_path: Path) -> None:
    assert read_device_state(tmp_path) == ("unknown", "unknown")  # the UI never wrote it
    write_device_state(tmp_path, reader="ok", printer="paper_out")
    assert read_device_state(tmp_path) == ("ok", "paper_out")
    later = time.time() + DEVICE_STATE_MAX_AGE_S + 1
    assert read_device_state(tmp_path, now=later) == ("unknown", "unknown")  # UI not running
    (tmp_path / DEVICE_STATE_FILE).write_text(
        json.dumps({"reader": "ok", "printer": "<script>", "at": time.time()})
    )
    assert read_device_state(tmp_path) == ("ok", "unknown")
    (tmp_path / DEVICE_STATE_FILE).write_text("[not json")
    assert read_device_state(tmp_path) == ("unknown", "unknown")
    with pytest.raises(ValueError):
        write_device_state(tmp_path, reader="fine", printer="ok")


def test_the_heartbeat_carries_the_stand(tmp_path: Path) -> None:
    write_device_state(tmp_path, reader="missing", printer="ok")
    image_id = tmp_path / "id"
    image_id.write_text("KIOSK_IMAGE_ID=1.5.0\n")
    report = stand_report(tmp_path, image_id=image_id, cmdline=tmp_path / "none")
    doc = heartbeat_document(backlog=1, dead=0, master_version=None, app_version="x", stand=report)
    assert doc["image_version"] == "1.5.0" and doc["slot"] is None
    assert doc["reader"] == "missing" and doc["printer"] == "ok"
    plain = heartbeat_document(backlog=1, dead=0, master_version=None, app_version="x")
    assert "reader" not in plain  # the old shape stays valid


def test_rollout_state_of_a_kiosk(tmp_path: Path) -> None:
    published = Published("1.5.0", ("kiosk-007",), 0.0)
    assert rollout_state(published, "kiosk-007", "1.4.0") is RolloutState.PENDING
    assert rollout_state(published, "kiosk-007", "1.5.0") is RolloutState.CURRENT
    assert rollout_state(published, "kiosk-008", "1.4.0") is RolloutState.WAITING
    assert rollout_state(published, "kiosk-008", None) is RolloutState.UNKNOWN
    everyone = Published("1.5.0", (), 1.0)
    assert rollout_state(everyone, "kiosk-008", "1.4.0") is RolloutState.PENDING
    channel = tmp_path / "channel.json"
    channel.write_text('{"version": "1.5.0", "rollout": {"share": 2}}')
    assert read_published(channel) is None  # a share above 1 is not a channel
    channel.write_text('{"version": "1.5.0", "rollout": {"kiosks": ["k"], "share": 0.5}}')
    assert read_published(channel) == Published("1.5.0", ("k",), 0.5)
