"""What the flash target is, and whether it may be written (pure decision + a sysfs probe)."""

from __future__ import annotations

import enum
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kiosk.tech.errors import TargetRefusedError

#: SD cards for a kiosk are 8–64 GB; anything above this is more likely a system disk
MAX_TARGET_BYTES = 256 * 1000**3
SECTOR_BYTES = 512
SYS_BLOCK = Path("/sys/class/block")
SYS_DEV_BLOCK = Path("/sys/dev/block")


class TargetKind(enum.Enum):
    """The kind of thing a target path is."""

    FILE = "file"  # a regular file (tests, or an image to copy later)
    LOOP = "loop"  # a loop device (tests)
    DISK = "disk"  # a whole block device
    PARTITION = "partition"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class TargetFacts:
    """Everything the refusal rules look at."""

    path: str
    kind: TargetKind
    size_bytes: int = 0
    removable: bool = False
    transport: str = ""  # "usb", "mmc", "" (unknown/internal)
    mounted: tuple[str, ...] = ()  # mount points of the device or its partitions
    holds_root: bool = False  # the running system's root is on it
    in_use_by: tuple[str, ...] = ()  # device-mapper / RAID holders
    exists: bool = True  # False: a new file would be created
    read_only: bool = False  # the block device's ro flag (write-protect switch, losetup -r)


def refusal_reason(facts: TargetFacts, *, force_size: bool = False) -> str | None:
    """Why ``facts`` must not be written, or None when it is safe."""
    if facts.kind is TargetKind.FILE:
        return None
    if facts.kind is TargetKind.OTHER:
        return "not a regular file or a block device"
    if facts.kind is TargetKind.PARTITION:
        return "it is a partition; give the whole card (e.g. /dev/sdb, not /dev/sdb1)"
    if facts.holds_root:
        return "it holds the running system's root file system"
    if facts.mounted:
        return f"it is mounted ({', '.join(facts.mounted)}); unmount it first"
    if facts.in_use_by:
        return f"it is in use by {', '.join(facts.in_use_by)}"
    if facts.kind is TargetKind.LOOP:
        return None
    if facts.size_bytes > MAX_TARGET_BYTES and not force_size:
        gb = facts.size_bytes / 1000**3
        return f"it is {gb:.0f} GB, larger than an SD card should be (--force-size to override)"
    if not facts.removable and facts.transport not in ("usb", "mmc"):
        return "it is neither removable nor on USB/SD (looks like a system disk)"
    return None


def check_target(facts: TargetFacts, *, force_size: bool = False) -> None:
    """Raise TargetRefusedError when ``facts`` must not be written."""
    reason = refusal_reason(facts, force_size=force_size)
    if reason is not None:
        raise TargetRefusedError(facts.path, reason)


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _mounts() -> dict[str, list[str]]:
    """major:minor → mount points, from /proc/self/mountinfo (plus active swap devices)."""
    out: dict[str, list[str]] = {}
    for line in _read(Path("/proc/self/mountinfo")).splitlines():
        fields = line.split()
        if len(fields) > 4:
            out.setdefault(fields[2], []).append(fields[4])
    for line in _read(Path("/proc/swaps")).splitlines()[1:]:
        dev = line.split()[0] if line.split() else ""
        if dev.startswith("/dev/"):
            try:
                rdev = os.stat(dev).st_rdev
            except OSError:
                continue
            out.setdefault(f"{os.major(rdev)}:{os.minor(rdev)}", []).append("[swap]")
    return out


def _root_devs() -> set[str]:
    """major:minor of the root file system and, through device-mapper, what it sits on."""
    dev = os.stat("/").st_dev
    first = f"{os.major(dev)}:{os.minor(dev)}"
    found = {first}
    todo = [first]
    while todo:
        node = SYS_DEV_BLOCK / todo.pop()
        slaves = node / "slaves"
        if slaves.is_dir():
            for slave in slaves.iterdir():
                mm = _read(slave / "dev")
                if mm and mm not in found:
                    found.add(mm)
                    todo.append(mm)
    return found


def inspect_target(path: str) -> TargetFacts:
    """Probe ``path`` through stat, sysfs and /proc (no writes)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        # A new plain file (an image to hand on) is fine; a missing /dev node is a typo.
        if not path.startswith("/dev/") and Path(path).parent.is_dir():
            return TargetFacts(path=path, kind=TargetKind.FILE, exists=False)
        raise TargetRefusedError(path, "no such device or file") from None
    if stat.S_ISREG(st.st_mode):
        return TargetFacts(path=path, kind=TargetKind.FILE, size_bytes=st.st_size)
    if not stat.S_ISBLK(st.st_mode):
        return TargetFacts(path=path, kind=TargetKind.OTHER)
    mm = f"{os.major(st.st_rdev)}:{os.minor(st.st_rdev)}"
    sysdir = (SYS_DEV_BLOCK / mm).resolve()
    name = sysdir.name
    if (sysdir / "partition").exists():
        return TargetFacts(path=path, kind=TargetKind.PARTITION)
    kind = TargetKind.LOOP if name.startswith("loop") else TargetKind.DISK
    parts = [p for p in sysdir.iterdir() if (p / "partition").exists()]
    devs = {mm} | {_read(p / "dev") for p in parts}
    mounts = _mounts()
    mounted = tuple(sorted({m for d in devs for m in mounts.get(d, [])}))
    holders = tuple(
        sorted({h.name for node in [sysdir, *parts] if (node / "holders").is_dir()
                for h in (node / "holders").iterdir()})
    )  # fmt: skip
    sys_path = str(sysdir)
    transport = "usb" if "/usb" in sys_path else "mmc" if "/mmc" in sys_path else ""
    return TargetFacts(
        path=path,
        kind=kind,
        size_bytes=int(_read(sysdir / "size") or 0) * SECTOR_BYTES,
        removable=_read(sysdir / "removable") == "1",
        transport=transport,
        mounted=mounted,
        holds_root=bool(devs & _root_devs()),
        in_use_by=holders,
        read_only=_read(sysdir / "ro") == "1",
    )
