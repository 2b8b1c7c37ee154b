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


def rss_mb() -> float:
    """The current resident set size in MiB (0.0 where /proc is missing)."""
    try:
        for line in STATUS_FILE.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / KIB_PER_MIB, 1)
    except OSError:
        pass
    return 0.0


def release() -> None:
    """Collect garbage, then return free heap pages to the OS (glibc ``malloc_trim``)."""
    gc.collect()
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim(0)
