"""External programs the technician tool runs: absolute paths, a clear error if absent."""

from __future__ import annotations

import shutil

from kiosk.tech.errors import TechError

#: Debian package per program, for the error message
PACKAGES = {"sfdisk": "fdisk", "mcopy": "mtools", "mmd": "mtools", "mdir": "mtools",
            "mtype": "mtools", "timedatectl": "systemd", "dumpe2fs": "e2fsprogs",
            "lsblk": "util-linux", "umount": "mount"}  # fmt: skip


def require_tool(name: str) -> str:
    """The absolute path of ``name``; TechError naming the Debian package when it is missing."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/bin:/bin")
    if path is None:
        raise TechError(f"{name} is not installed (apt-get install {PACKAGES.get(name, name)})")
    return path
