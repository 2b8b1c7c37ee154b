"""Process memory: read the resident set size and hand freed heap back to the system."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def no_collection() -> Iterator[None]:
    """No automatic cyclic collection (in any thread) while the block runs.

    For app-wide property changes (theme colours, sizes, the UI face) that every screen's kv
    rules observe: a collection in the middle of such a dispatch can free a dropped screen's
    widget after its handler was already picked, and Kivy then calls the handler on a dead weak
    proxy (``ReferenceError``, seen at a visit's end in the UI sweeps). Kivy unbinds a widget's
    handlers when it is collected, so a collection before or after the dispatch is harmless.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
