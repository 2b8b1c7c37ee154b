"""A small kiosk-shaped disk image for flash tests: GPT, FAT "boot" + random "rootfs_a"."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

MIB = 1024 * 1024
BOOT_START_MIB = 1
BOOT_MIB = 12
ROOT_MIB = 6
IMAGE_MIB = BOOT_START_MIB + BOOT_MIB + ROOT_MIB + 1
FAT_GUID = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
LINUX_GUID = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"


def make_image(directory: Path, name: str = "kiosk-test.img") -> Path:
    """Build IMAGE and IMAGE.sha256 in ``directory``; the boot partition holds config.txt."""
    image = directory / name
    boot = directory / "boot.vfat"
    subprocess.run(
        ["mkfs.vfat", "-C", "-n", "KIOSKBOOT", str(boot), str(BOOT_MIB * 1024)],
        check=True,
        capture_output=True,
    )
    cfg = directory / "config.txt"
    cfg.write_text("arm_64bit=1\nos_prefix=a/\n")
    subprocess.run(["mcopy", "-i", str(boot), str(cfg), "::/config.txt"], check=True)
    with open(image, "wb") as fh:
        fh.truncate(IMAGE_MIB * MIB)
    table = (
        "label: gpt\n"
        f"start={BOOT_START_MIB}MiB, size={BOOT_MIB}MiB, type={FAT_GUID}, name=boot\n"
        f"start={BOOT_START_MIB + BOOT_MIB}MiB, size={ROOT_MIB}MiB, "
        f"type={LINUX_GUID}, name=rootfs_a\n"
    )
    subprocess.run(["sfdisk", "-q", str(image)], input=table, text=True, check=True)
    with open(image, "r+b") as fh:
        fh.seek(BOOT_START_MIB * MIB)
        fh.write(boot.read_bytes())
        fh.seek((BOOT_START_MIB + BOOT_MIB) * MIB)
        fh.write(os.urandom(ROOT_MIB * MIB))
    digest = hashlib.sha256(image.read_bytes()).hexdigest()
    image.with_name(image.name + ".sha256").write_text(f"{digest}  {image.name}\n")
    boot.unlink()
    return image


def make_site(
    directory: Path, kiosk_id: str = "kiosk-001", token: str = "tok_0123456789abcdef"
) -> Path:
    """A SITE.toml with a CA file and a token for ``kiosk_id``."""
    ca = directory / "intake-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n")
    site = directory / "site.toml"
    site.write_text(
        "[site]\n"
        'name = "Test City Hall"\n'
        'intake_url = "https://intake.test.example:8443"\n'
        'ca_file = "intake-ca.pem"\n'
        "[tokens]\n"
        f'"{kiosk_id}" = "{token}"\n'
        "[printer]\n"
        'kind = "usb"\n'
        "usb_vendor_id = 1208\n"
    )
    return site


def mtype(target: Path | str, offset: int, path: str) -> bytes:
    """Read a file from the FAT partition at ``offset`` of ``target``."""
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    return subprocess.run(
        ["mtype", "-i", f"{target}@@{offset}", f"::/{path}"],
        check=True,
        capture_output=True,
        env=env,
    ).stdout
