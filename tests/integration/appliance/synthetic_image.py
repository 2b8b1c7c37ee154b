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
DATA_MIB = 4
#: boot, rootfs_a (random: all used), rootfs_b (empty slot), kiosk-data (a small ext4)
ROOT_B_START_MIB = BOOT_START_MIB + BOOT_MIB + ROOT_MIB
DATA_START_MIB = ROOT_B_START_MIB + ROOT_MIB
IMAGE_MIB = DATA_START_MIB + DATA_MIB + 1
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
        f"start={ROOT_B_START_MIB}MiB, size={ROOT_MIB}MiB, type={LINUX_GUID}, name=rootfs_b\n"
        f"start={DATA_START_MIB}MiB, size={DATA_MIB}MiB, type={LINUX_GUID}, name=kiosk-data\n"
    )
    subprocess.run(["sfdisk", "-q", str(image)], input=table, text=True, check=True)
    with open(image, "r+b") as fh:
        fh.seek(BOOT_START_MIB * MIB)
        fh.write(boot.read_bytes())
        fh.seek((BOOT_START_MIB + BOOT_MIB) * MIB)
        fh.write(os.urandom(ROOT_MIB * MIB))
    subprocess.run(
        ["mke2fs", "-q", "-F", "-t", "ext4", "-E", f"offset={DATA_START_MIB * MIB}", str(image),
         f"{DATA_MIB}M"],
        check=True, capture_output=True,
    )  # fmt: skip
    digest = hashlib.sha256(image.read_bytes()).hexdigest()
    image.with_name(image.name + ".sha256").write_text(f"{digest}  {image.name}\n")
    boot.unlink()
    return image


def self_signed_pem(common_name: str, days: int = 365) -> bytes:
    """A real self-signed EC certificate (PEM) valid from now for ``days``."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=abs(days) + 1))
        .not_valid_after(now + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return cert.public_bytes(serialization.Encoding.PEM)


def make_site(
    directory: Path,
    kiosk_id: str = "kiosk-001",
    token: str = "tok_0123456789abcdef",
    extra: str = "",
) -> Path:
    """A SITE.toml with a real CA certificate and a token for ``kiosk_id`` (+ ``extra`` TOML)."""
    ca = directory / "intake-ca.pem"
    if not ca.exists():
        ca.write_bytes(self_signed_pem("Test intake CA"))
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
        "usb_product_id = 3624\n" + extra
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
