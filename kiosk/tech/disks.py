"""Removable disks (SD cards) as the technician sees them: path, model, size, serial; unmounting."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

from kiosk.tech.errors import TargetRefusedError
from kiosk.tech.tools import require_tool

LSBLK_COLUMNS = "PATH,MODEL,VENDOR,SERIAL,SIZE,RM,TRAN,TYPE,RO"
CARD_TRANSPORTS = frozenset({"usb", "mmc"})
UMOUNT_TIMEOUT_S = 60


@dataclass(frozen=True, slots=True)
class Disk:
    """One whole disk from lsblk."""

    path: str
    model: str
    serial: str
    size_bytes: int
    removable: bool
    transport: str
    read_only: bool

    def describe(self) -> str:
        """``/dev/sdb  SD Card Reader 31.9 GB  serial 1234`` for prompts and lists."""
        model = self.model or "unknown model"
        serial = f"  serial {self.serial}" if self.serial else ""
        ro = "  READ-ONLY" if self.read_only else ""
        return f"{self.path}  {model}  {self.size_bytes / 1000**3:.1f} GB{serial}{ro}"


def _lsblk(*args: str) -> list[dict[str, object]]:
    proc = subprocess.run(  # noqa: S603 - fixed tool and columns
        [require_tool("lsblk"), "-J", "-b", "-d", "-o", LSBLK_COLUMNS, *args],
        capture_output=True, text=True, check=False, timeout=30,
    )  # fmt: skip
    if proc.returncode != 0:
        return []
    devices = json.loads(proc.stdout).get("blockdevices", [])
    return [d for d in devices if isinstance(d, dict)]


def _disk(raw: dict[str, object]) -> Disk:
    model = " ".join(str(raw.get(k) or "").strip() for k in ("vendor", "model")).strip()
    return Disk(
        path=str(raw.get("path") or ""), model=model, serial=str(raw.get("serial") or ""),
        size_bytes=int(str(raw.get("size") or 0)), removable=bool(raw.get("rm")),
        transport=str(raw.get("tran") or ""), read_only=bool(raw.get("ro")),
    )  # fmt: skip


def removable_disks() -> list[Disk]:
    """Whole disks that are removable or on USB/SD and not empty (card readers without a card)."""
    disks = [_disk(d) for d in _lsblk() if d.get("type") == "disk"]
    return [d for d in disks if (d.removable or d.transport in CARD_TRANSPORTS) and d.size_bytes]


def describe(path: str) -> Disk | None:
    """lsblk's facts about one block device (None for files and unknown paths)."""
    found = _lsblk(path)
    return _disk(found[0]) if found else None


def unmount_all(target: str, mount_points: tuple[str, ...]) -> None:
    """Unmount the card's file systems (a desktop mounts a freshly inserted card by itself)."""
    for point in sorted(mount_points, key=len, reverse=True):
        if point == "[swap]":
            raise TargetRefusedError(target, "it is used as swap")
        proc = subprocess.run(  # noqa: S603 - fixed tool, a mount point from /proc
            [require_tool("umount"), point],
            capture_output=True, text=True, check=False, timeout=UMOUNT_TIMEOUT_S,
        )  # fmt: skip
        if proc.returncode != 0:
            raise TargetRefusedError(
                target, f"it is mounted at {point} and cannot be unmounted ({proc.stderr.strip()})"
            )
