"""Process memory: read the resident set size and hand freed heap back to the system."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache
from pathlib import Path
from typing import Any

STATUS_FILE = Path("/proc/self/status")
KIB_PER_MIB = 1024


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def status_mb(field: str = "VmRSS") -> float:
    """A memory figure of this process from /proc/self/status in MiB (0.0 where it is missing).

    ``VmRSS`` resident set, ``VmHWM`` its peak, ``RssAnon`` the private part (heap, JIT, GL
    buffers) without the shared libraries' pages that the kernel can drop and re-read.
    """
    try:
        for line in STATUS_FILE.read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / KIB_PER_MIB, 1)
    except OSError:
        pass
    return 0.0


def rss_mb() -> float:
    """The current resident set size in MiB (0.0 where /proc is missing)."""
    return status_mb("VmRSS")


def release() -> None:
    """Collect garbage, then return free heap pages to the OS (glibc ``malloc_trim``)."""
    gc.collect()
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim(0)
