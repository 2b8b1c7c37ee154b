"""The image's boot partition in real U-Boot: boot.scr compiled from image-build/files/boot/boot.cmd
(mkimage), uboot.env made like assemble.sh makes it (mkenvimage), run by Debian's U-Boot for QEMU
``-M virt`` (``-bios u-boot.bin``, TCG, ~2 s a boot). The kernels are stand-ins, so every boot ends
in ``booti`` failing and boot.scr resetting (``-no-reboot`` ends QEMU): what a test sees is the
slot boot.scr chose (its ``kiosk: booting slot X`` line) and the counters it saved.

Linux's side is the real libubootenv (``fw_printenv``/``fw_setenv -c``) on the same file, called
with the values RAUC's ``uboot`` backend writes (rauc src/bootloaders/uboot.c: ``set-primary``
puts the slot first in BOOT_ORDER with ``boot-attempts-primary`` attempts, ``mark-good`` resets
BOOT_x_LEFT to ``boot-attempts``, ``mark-bad`` removes the slot from BOOT_ORDER and sets 0; values
in hex). :meth:`BootPartition.rauc_status` renders what ``rauc status --output-format=json``
reports from that environment (get-state: in BOOT_ORDER and attempts > 0 = "good"; primary: the
first slot in BOOT_ORDER with attempts left).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
BOOT_CMD = REPO / "image-build/files/boot/boot.cmd"
SYSTEM_CONF = REPO / "image-build/files/rauc/system.conf"
QEMU_UBOOT = Path("/usr/lib/u-boot/qemu_arm64/u-boot.bin")
ENV_SIZE = "0x4000"  # image-build/layout.sh LAYOUT_UBOOT_ENV_SIZE
FAT_TYPE = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
BOOT_START_MIB = 4
BOOT_MIB = 40
CHOSEN = re.compile(r"kiosk: booting slot ([AB]) ")
QEMU_TIMEOUT_S = 90
TOOLS = ("qemu-system-aarch64", "mkimage", "mkenvimage", "fw_printenv", "fw_setenv", "mcopy")


def _conf_int(key: str) -> int:
    for line in SYSTEM_CONF.read_text().splitlines():
        if line.startswith(f"{key}="):
            return int(line.split("=", 1)[1])
    raise KeyError(key)


BOOT_ATTEMPTS = _conf_int("boot-attempts")
BOOT_ATTEMPTS_PRIMARY = _conf_int("boot-attempts-primary")
SLOT_NAMES = {"A": "rootfs.0", "B": "rootfs.1"}


def require_tools() -> None:
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing or not QEMU_UBOOT.exists():
        pytest.fail(f"missing {missing or QEMU_UBOOT}: run scripts/bootstrap.sh test")


class BootPartition:
    """A one-partition GPT disk holding the kiosk's FAT boot partition."""

    def __init__(self, directory: Path, slots: tuple[str, ...] = ("a",)) -> None:
        require_tools()
        self.dir = directory
        self.disk = directory / "disk.img"
        self.env_file = directory / "uboot.env"
        self.fw_config = directory / "fw_env.config"
        self.fw_config.write_text(f"{self.env_file} 0x0000 {ENV_SIZE}\n")
        self.log: list[str] = []
        tree = directory / "bootfs"
        tree.mkdir()
        subprocess.run(
            ["mkimage", "-A", "arm64", "-O", "linux", "-T", "script", "-C", "none",
             "-n", "kiosk A/B boot", "-d", str(BOOT_CMD), str(tree / "boot.scr")],
            check=True, capture_output=True,
        )  # fmt: skip
        (directory / "env.txt").write_text("BOOT_ORDER=A B\nBOOT_A_LEFT=3\nBOOT_B_LEFT=0\n")
        env_txt = directory / "env.txt"
        subprocess.run(
            ["mkenvimage", "-s", ENV_SIZE, "-o", str(tree / "uboot.env"), str(env_txt)], check=True
        )
        vfat = directory / "boot.vfat"
        subprocess.run(["mkfs.vfat", "-C", "-F", "32", "-n", "KIOSKBOOT", str(vfat),
                        str(BOOT_MIB * 1024)], check=True, capture_output=True)  # fmt: skip
        subprocess.run(
            ["mcopy", "-s", "-i", str(vfat), *map(str, tree.iterdir()), "::/"], check=True
        )
        with self.disk.open("wb") as f:
            f.truncate((BOOT_START_MIB + BOOT_MIB + 1) * 1024 * 1024)
        subprocess.run(
            ["sfdisk", "-q", str(self.disk)],
            input=f"label: gpt\nstart={BOOT_START_MIB}MiB, size={BOOT_MIB}MiB, "
            f"type={FAT_TYPE}, name=boot\n",
            text=True, check=True,
        )  # fmt: skip
        subprocess.run(["dd", f"if={vfat}", f"of={self.disk}", "bs=1M", f"seek={BOOT_START_MIB}",
                        "conv=notrunc", "status=none"], check=True)  # fmt: skip
        for slot in slots:
            self.install_kernel(slot)

    @property
    def _fat(self) -> str:
        return f"{self.disk}@@{BOOT_START_MIB}M"

    def install_kernel(self, slot: str) -> None:
        """What rauc-post-install leaves: SLOT/vmlinuz, SLOT/initrd.img (stand-ins here)."""
        d = self.dir / f"kernel-{slot}" / slot
        d.mkdir(parents=True)
        (d / "vmlinuz").write_bytes(b"not an arm64 Image " * 64)
        (d / "initrd.img").write_bytes(b"initrd " * 64)
        subprocess.run(["mcopy", "-s", "-o", "-i", self._fat, str(d), "::/"], check=True)

    def remove_kernel(self, slot: str) -> None:
        subprocess.run(["mdeltree", "-i", self._fat, f"::/{slot}"], check=True)

    def files(self) -> list[str]:
        proc = subprocess.run(["mdir", "-b", "-/", "-i", self._fat, "::/"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        return proc.stdout.split()

    # -- U-Boot ------------------------------------------------------------------------------
    def boot(self) -> str:
        """Power on once: the slot boot.scr chose ("" when it chose none)."""
        proc = subprocess.run(
            ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-m", "1024",
             "-nographic", "-no-reboot", "-monitor", "none", "-nic", "none",
             "-bios", str(QEMU_UBOOT),
             "-drive", f"file={self.disk},format=raw,if=none,id=d0",
             "-device", "virtio-blk-device,drive=d0"],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=QEMU_TIMEOUT_S, check=False,
        )  # fmt: skip
        out = proc.stdout.decode(errors="replace")
        self.log.append(out)
        m = CHOSEN.search(out)
        return m.group(1) if m else ""

    # -- Linux: libubootenv on the same file -------------------------------------------------
    def env(self) -> dict[str, str]:
        subprocess.run(["mcopy", "-n", "-o", "-i", self._fat, "::/uboot.env", str(self.env_file)],
                       check=True)  # fmt: skip
        proc = subprocess.run(["fw_printenv", "-c", str(self.fw_config)],
                              capture_output=True, text=True, check=True)  # fmt: skip
        return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)

    def fw_setenv(self, key: str, value: str) -> None:
        self.env()
        subprocess.run(["fw_setenv", "-c", str(self.fw_config), key, value], check=True)
        subprocess.run(["mcopy", "-o", "-i", self._fat, str(self.env_file), "::/uboot.env"],
                       check=True)  # fmt: skip

    # -- RAUC's uboot backend (the fw_setenv calls rauc makes) -------------------------------
    def rauc_set_primary(self, bootname: str) -> None:
        """``rauc install`` into BOOTNAME."""
        order = [s for s in self.env().get("BOOT_ORDER", "").split() if s != bootname]
        self.fw_setenv(f"BOOT_{bootname}_LEFT", f"{BOOT_ATTEMPTS_PRIMARY:x}")
        self.fw_setenv("BOOT_ORDER", " ".join([bootname, *order]))

    def rauc_mark(self, bootname: str, state: str) -> None:
        """``rauc status mark-good|mark-bad`` of BOOTNAME."""
        if state == "bad":
            order = [s for s in self.env().get("BOOT_ORDER", "").split() if s != bootname]
            self.fw_setenv("BOOT_ORDER", " ".join(order))
            self.fw_setenv(f"BOOT_{bootname}_LEFT", "0")
        else:
            self.fw_setenv(f"BOOT_{bootname}_LEFT", f"{BOOT_ATTEMPTS:x}")

    def rauc_status(self, booted: str) -> dict[str, object]:
        """``rauc status --output-format=json`` as RAUC derives it from this environment."""
        env = self.env()
        order = env.get("BOOT_ORDER", "").split()

        def left(b: str) -> int:
            return int(env.get(f"BOOT_{b}_LEFT", "0"), 16)

        primary = next((b for b in order if left(b) > 0), None)
        slots = [
            {SLOT_NAMES[b]: {"class": "rootfs", "bootname": b,
                             "state": "booted" if b == booted else "inactive",
                             "boot_status": "good" if b in order and left(b) > 0 else "bad"}}
            for b in ("A", "B")
        ]  # fmt: skip
        return {
            "compatible": "jp-city-kiosk-pi4",
            "booted": booted,
            "boot_primary": SLOT_NAMES[primary] if primary else None,
            "slots": slots,
        }
