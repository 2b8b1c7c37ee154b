"""The technician's flash tool against plain files and loop devices (real sfdisk, mtools)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.config import load_config
from tests.integration.appliance.synthetic_image import (
    BOOT_MIB,
    BOOT_START_MIB,
    DATA_MIB,
    DATA_START_MIB,
    MIB,
    ROOT_B_START_MIB,
    ROOT_MIB,
    make_image,
    make_site,
    mtype,
)

REPO = Path(__file__).resolve().parents[3]
BOOT_OFFSET = BOOT_START_MIB * MIB
TOKEN = "tok_0123456789abcdef"


def run_tech(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in the test's working directory (where its batch record lands)."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk.tech", *args],
        capture_output=True,
        text=True,
        cwd=Path.cwd(),
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    monkeypatch.chdir(run_dir)


def _records() -> list[dict[str, object]]:
    return [json.loads(line) for line in Path("kiosk-batch.jsonl").read_text().splitlines()]


@pytest.fixture
def image(tmp_path: Path) -> Path:
    return make_image(tmp_path)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path, token=TOKEN)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _outside_boot(data: bytes) -> bytes:
    return data[:BOOT_OFFSET] + data[BOOT_OFFSET + BOOT_MIB * MIB :]


def test_flash_to_a_file_writes_verifies_and_provisions(tmp_path, image, site):
    target = tmp_path / "card.img"
    proc = run_tech(
        "flash", str(image), str(target), "--site", str(site), "--kiosk-id", "kiosk-001", "--yes"
    )
    assert proc.returncode == 0, proc.stderr
    assert "verified" in proc.stdout
    assert "write" in proc.stderr and "100%" in proc.stderr  # the progress bar
    # Only the mapped blocks were written: the empty slot B and the free ext4 blocks were not.
    image_bytes = image.stat().st_size
    assert f"of {image_bytes} bytes written" in proc.stdout
    written = int(proc.stdout.split("flashed ")[1].split(": ")[1].split(" of ")[0])
    assert written < image_bytes - 6 * MIB
    # Everything outside the boot partition is the image, byte for byte.
    assert _outside_boot(target.read_bytes()) == _outside_boot(image.read_bytes())
    config = tomllib.loads(mtype(target, BOOT_OFFSET, "kiosk/kiosk.toml").decode())
    assert config["sync"] == {
        "kiosk_id": "kiosk-001",
        "intake_url": "https://intake.test.example:8443",
        "ca_file": "/var/lib/kiosk/config/ca.pem",
    }
    # Finding 1: the printer is where the UI reads it, and the UI's loader accepts the file.
    assert config["kiosk"]["printer"] == {"kind": "usb", "usb_vendor_id": 1208,
                                          "usb_product_id": 3624}  # fmt: skip
    assert "printer" not in config
    assert config["network"]["hostname"] == "kiosk-001"
    from_card = tmp_path / "from-card.toml"
    from_card.write_bytes(mtype(target, BOOT_OFFSET, "kiosk/kiosk.toml"))
    ui = load_config(from_card, environ={})
    assert ui.printer["kind"] == "usb"
    # No staff PIN in the site file: a random one per stand, its hash on the card, the PIN
    # itself only in the batch record (0600), never on stdout/stderr.
    rec = _records()
    pin = rec[-1]["staff_pin"]
    assert rec[-1]["kiosk_id"] == "kiosk-001" and rec[-1]["result"] == "ok"
    assert len(pin) == 6 and ui.staff_pin_ok(pin) and not ui.staff_pin_ok("0000")
    assert pin not in proc.stdout + proc.stderr
    assert mtype(target, BOOT_OFFSET, "kiosk/ca.pem") == (tmp_path / "intake-ca.pem").read_bytes()
    assert mtype(target, BOOT_OFFSET, "kiosk/enrol-token").decode().strip() == TOKEN
    # What the image already had in the boot partition survives.
    assert mtype(target, BOOT_OFFSET, "config.txt").startswith(b"arm_64bit=1")
    # The token never appears on stdout/stderr.
    assert TOKEN not in proc.stdout + proc.stderr


def _assert_refused(
    proc: subprocess.CompletedProcess[str], code: str, target: Path, before: bytes
) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"error [{code}]" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert target.read_bytes() == before, "the target was modified"


def test_checksum_mismatch_is_refused_before_writing(tmp_path, image, site):
    sums = image.with_name(image.name + ".sha256")
    sums.write_text("0" * 64 + f"  {image.name}\n")
    target = tmp_path / "card.img"
    target.write_bytes(b"previous content")
    proc = run_tech(
        "flash",
        str(image),
        str(target),
        "--site",
        str(site),
        "--kiosk-id",
        "kiosk-001",
        "--yes",
        "--to-file",
    )
    _assert_refused(proc, "image_checksum_mismatch", target, b"previous content")


def test_a_failed_flash_to_a_new_file_leaves_no_file_behind(tmp_path, image, site):
    image.with_name(image.name + ".sha256").write_text("0" * 64 + f"  {image.name}\n")
    target = tmp_path / "new-card.img"
    proc = run_tech(
        "flash", str(image), str(target), "--site", str(site), "--kiosk-id", "kiosk-001", "--yes"
    )
    assert proc.returncode == 2 and "image_checksum_mismatch" in proc.stderr
    assert not target.exists()  # so the retry is not refused as "an existing file"
    assert _records()[-1]["result"] == "image_checksum_mismatch"


def test_missing_checksum_file_is_refused(tmp_path, image, site):
    image.with_name(image.name + ".sha256").unlink()
    target = tmp_path / "card.img"
    target.write_bytes(b"x")
    proc = run_tech(
        "flash",
        str(image),
        str(target),
        "--site",
        str(site),
        "--kiosk-id",
        "kiosk-001",
        "--yes",
        "--to-file",
    )
    _assert_refused(proc, "image_invalid", target, b"x")
    assert ".sha256 is missing" in proc.stderr


def test_missing_site_file_is_refused(tmp_path, image):
    target = tmp_path / "card.img"
    target.write_bytes(b"keep")
    proc = run_tech(
        "flash",
        str(image),
        str(target),
        "--site",
        str(tmp_path / "nope.toml"),
        "--kiosk-id",
        "kiosk-001",
        "--yes",
        "--to-file",
    )
    _assert_refused(proc, "site_config_invalid", target, b"keep")
    assert "file not found" in proc.stderr


def test_kiosk_without_a_token_is_refused(tmp_path, image, site):
    target = tmp_path / "card.img"
    target.write_bytes(b"keep")
    proc = run_tech(
        "flash",
        str(image),
        str(target),
        "--site",
        str(site),
        "--kiosk-id",
        "kiosk-999",
        "--yes",
        "--to-file",
    )
    _assert_refused(proc, "site_config_invalid", target, b"keep")
    assert "no enrolment token for kiosk id 'kiosk-999'" in proc.stderr


def test_no_confirmation_without_yes_on_a_non_tty(tmp_path, image, site):
    target = tmp_path / "card.img"
    target.write_bytes(b"keep")
    proc = run_tech(
        "flash",
        str(image),
        str(target),
        "--site",
        str(site),
        "--kiosk-id",
        "kiosk-001",
        "--to-file",
    )
    _assert_refused(proc, "target_refused", target, b"keep")
    assert "not confirmed" in proc.stderr


def _root_disk() -> str | None:
    dev = os.stat("/").st_dev
    sysdir = Path(f"/sys/dev/block/{os.major(dev)}:{os.minor(dev)}")
    if not sysdir.exists():
        return None
    node = sysdir.resolve()
    disk = node.parent if (node / "partition").exists() else node
    path = Path("/dev") / disk.name
    return str(path) if path.exists() else None


def test_the_system_disk_is_refused(tmp_path, image, site):
    disk = _root_disk()
    if disk is None:
        pytest.skip("the root file system is not on a block device here (overlay/container)")
    # Deliberately without --yes: even a wrong verdict could not write without confirmation.
    proc = run_tech("flash", str(image), disk, "--site", str(site), "--kiosk-id", "kiosk-001")
    assert proc.returncode == 2
    assert "error [target_refused]" in proc.stderr
    assert "root file system" in proc.stderr or "mounted" in proc.stderr


def test_a_character_device_is_refused(image, site):
    proc = run_tech(
        "flash", str(image), "/dev/null", "--site", str(site), "--kiosk-id", "kiosk-001", "--yes"
    )
    assert proc.returncode == 2
    assert "not a regular file or a block device" in proc.stderr


def _losetup(*args: str) -> str:
    return subprocess.run(
        ["losetup", *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def loop_device(tmp_path: Path):
    if os.geteuid() != 0 or not shutil.which("losetup"):
        pytest.skip("loop devices need root")
    backing = tmp_path / "loop-backing.img"
    with open(backing, "wb") as fh:
        fh.truncate(32 * MIB)
    try:
        dev = _losetup("--find", "--show", "--partscan", str(backing))
    except subprocess.CalledProcessError as err:
        pytest.skip(f"no loop device available: {err.stderr}")
    yield dev
    subprocess.run(["losetup", "-d", dev], check=False)


def test_flash_to_a_loop_device(tmp_path, image, site, loop_device):
    proc = run_tech(
        "flash", str(image), loop_device, "--site", str(site), "--kiosk-id", "kiosk-001", "--yes"
    )
    assert proc.returncode == 0, proc.stderr
    size = image.stat().st_size
    with open(loop_device, "rb") as fh:
        written = fh.read(size)
    assert _outside_boot(written) == _outside_boot(image.read_bytes())
    config = tomllib.loads(mtype(loop_device, BOOT_OFFSET, "kiosk/kiosk.toml").decode())
    assert config["sync"]["kiosk_id"] == "kiosk-001"


def _flash_loop(image: Path, site: Path, dev: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_tech(
        "flash", str(image), dev, "--site", str(site), "--kiosk-id", "kiosk-001", "--yes", *extra
    )


def test_a_mounted_card_is_unmounted_and_a_second_flash_needs_again(
    tmp_path, image, site, loop_device
):
    # Put the image on the loop device, mount a partition (as a desktop would), then again.
    assert _flash_loop(image, site, loop_device).returncode == 0
    subprocess.run(["partx", "-u", loop_device], check=False, capture_output=True)
    part = f"{loop_device}p2"
    if not Path(part).exists():
        pytest.skip("no partition nodes for loop devices here (no udev)")
    subprocess.run(["mkfs.ext4", "-q", part], check=True)  # vfat may not be in this kernel
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-o", "ro", part, str(mnt)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount the loop partition here")
    try:
        twice = _flash_loop(image, site, loop_device)
        assert twice.returncode == 2 and "flashed before (--again)" in twice.stderr
        assert "Traceback" not in twice.stderr
        proc = _flash_loop(image, site, loop_device, "--again")
        assert proc.returncode == 0, proc.stderr
        assert not os.path.ismount(mnt), "flash unmounts the card itself"
    finally:
        subprocess.run(["umount", str(mnt)], check=False, capture_output=True)
    results = [r["result"] for r in _records()]
    assert results == ["ok", "ok"]


def test_a_read_only_card_is_refused_in_one_line_before_hashing(tmp_path, image, site):
    if os.geteuid() != 0:
        pytest.skip("loop devices need root")
    backing = tmp_path / "ro-backing.img"
    backing.write_bytes(b"\xa5" * (32 * MIB))
    try:
        dev = _losetup("--find", "--show", "--read-only", str(backing))
    except subprocess.CalledProcessError as err:
        pytest.skip(f"no loop device available: {err.stderr}")
    try:
        proc = _flash_loop(image, site, dev)
    finally:
        subprocess.run(["losetup", "-d", dev], check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0, proc.stderr  # one line, no traceback
    assert "error [target_refused]" in proc.stderr and "read-only" in proc.stderr
    assert "check:" not in proc.stderr  # refused before the image was hashed
    assert backing.read_bytes() == b"\xa5" * (32 * MIB)


def test_a_too_small_card_is_refused(tmp_path, image, site):
    if os.geteuid() != 0:
        pytest.skip("loop devices need root")
    backing = tmp_path / "small.img"
    backing.write_bytes(b"\x00" * (8 * MIB))
    try:
        dev = _losetup("--find", "--show", str(backing))
    except subprocess.CalledProcessError as err:
        pytest.skip(f"no loop device available: {err.stderr}")
    try:
        proc = _flash_loop(image, site, dev)
    finally:
        subprocess.run(["losetup", "-d", dev], check=False)
    assert proc.returncode == 2 and "the image needs" in proc.stderr
    assert "check:" not in proc.stderr


def test_a_full_file_system_is_refused_before_hashing(tmp_path, image, site):
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    small = tmp_path / "small-fs"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(small)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        proc = run_tech(
            "flash", str(image), str(small / "card.img"), "--site", str(site),
            "--kiosk-id", "kiosk-001", "--yes",
        )  # fmt: skip
    finally:
        subprocess.run(["umount", str(small)], check=False)
    assert proc.returncode == 2 and "bytes free" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "check:" not in proc.stderr


def test_the_site_file_and_existing_files_are_not_targets(tmp_path, image, site):
    before = site.read_bytes()
    for extra in ((), ("--to-file",)):
        proc = run_tech(
            "flash", str(image), str(site), "--site", str(site), "--kiosk-id", "kiosk-001",
            "--yes", *extra,
        )  # fmt: skip
        assert proc.returncode == 2 and "error [target_refused]" in proc.stderr
    assert site.read_bytes() == before
    other = tmp_path / "notes.txt"
    other.write_bytes(b"keep")
    proc = run_tech(
        "flash", str(image), str(other), "--site", str(site), "--kiosk-id", "kiosk-001", "--yes"
    )
    _assert_refused(proc, "target_refused", other, b"keep")
    assert "--to-file" in proc.stderr


def test_a_card_that_fills_up_while_writing_fails_in_one_line(tmp_path, image, site):
    """A loop device over a sparse file on a 4 MiB tmpfs: big enough on paper, full in practice."""
    if os.geteuid() != 0:
        pytest.skip("loop devices and tmpfs need root")
    small = tmp_path / "tiny-fs"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(small)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        backing = small / "card.img"
        with open(backing, "wb") as fh:
            fh.truncate(32 * MIB)
        try:
            dev = _losetup("--find", "--show", str(backing))
        except subprocess.CalledProcessError as err:
            pytest.skip(f"no loop device available: {err.stderr}")
        try:
            proc = _flash_loop(image, site, dev)
        finally:
            subprocess.run(["losetup", "-d", dev], check=False)
    finally:
        subprocess.run(["umount", str(small)], check=False)
    assert proc.returncode == 2, proc.stdout
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(("error [write_failed]", "error [verify_failed]")), proc.stderr
    assert _records()[-1]["result"] in ("write_failed", "verify_failed")


def test_only_mapped_ranges_reach_the_card_and_verify_reads_them(tmp_path, image, site):
    """A card full of 0xA5: slot B keeps it (skipped), the FAT partition gets the image's zeros."""
    if os.geteuid() != 0:
        pytest.skip("loop devices need root")
    backing = tmp_path / "used-card.img"
    backing.write_bytes(b"\xa5" * (32 * MIB))
    try:
        dev = _losetup("--find", "--show", str(backing))
    except subprocess.CalledProcessError as err:
        pytest.skip(f"no loop device available: {err.stderr}")
    try:
        proc = _flash_loop(image, site, dev)
    finally:
        subprocess.run(["losetup", "-d", dev], check=False)
    assert proc.returncode == 0, proc.stderr
    card, img = backing.read_bytes(), image.read_bytes()
    slot_b = slice(ROOT_B_START_MIB * MIB, (ROOT_B_START_MIB + ROOT_MIB) * MIB)
    assert card[slot_b] == b"\xa5" * (ROOT_MIB * MIB)  # never written
    rootfs_a = slice((BOOT_START_MIB + BOOT_MIB) * MIB, ROOT_B_START_MIB * MIB)
    assert card[rootfs_a] == img[rootfs_a]
    assert card[:BOOT_OFFSET] == img[:BOOT_OFFSET]  # protective MBR + GPT
    # The FAT partition is written whole (its zeros matter), then gets the stand's files.
    boot = slice(BOOT_OFFSET, BOOT_OFFSET + BOOT_MIB * MIB)
    assert b"\xa5" * 4096 not in card[boot]
    # The ext4 data partition still mounts-clean: its metadata blocks were written.
    data = tmp_path / "data.ext4"
    data.write_bytes(card[DATA_START_MIB * MIB : (DATA_START_MIB + DATA_MIB) * MIB])
    fsck = subprocess.run(["e2fsck", "-fn", str(data)], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
