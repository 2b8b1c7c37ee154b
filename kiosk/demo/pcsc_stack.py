"""The machine's one pcscd + vpcd for the demo: the shared lock, the binary and its options.

Only one pcscd with the vpcd driver can run per machine, and vpcd slot 0 holds one card at a
time, so every user of it (the test fixtures, the card benchmarks, the demo) holds an exclusive
``fcntl`` lock on ``/tmp/kiosk-pcsc.lock`` while it uses the stack. A child process started by the
lock holder (the UI tests start the demo that way) is told so by ``KIOSK_PCSC_LOCK_HELD_BY``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path
from typing import IO

#: the lock file shared with tests/fixtures/pcsc.py (same path, same environment override)
LOCK_PATH = Path(os.environ.get("KIOSK_PCSC_LOCK", "/tmp/kiosk-pcsc.lock"))  # noqa: S108
#: set to the PID of a lock holder that started this process (the lock is then the parent's)
LOCK_HELD_BY_ENV = "KIOSK_PCSC_LOCK_HELD_BY"
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
#: pcsc-lite >= 2.0 has polkit on by default and knows this option; 1.9.x (bookworm) refuses it
DISABLE_POLKIT = "--disable-polkit"
HELP_TIMEOUT_S = 5.0


class PcscLock:
    """The machine-wide PC/SC lock, taken without waiting."""

    def __init__(self, path: Path = LOCK_PATH) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self.inherited = False

    def acquire(self) -> bool:
        """Take the lock now (True), or report that another process holds it (False)."""
        if os.environ.get(LOCK_HELD_BY_ENV) == str(os.getppid()):
            self.inherited = True  # the parent holds it for us (a test run that started us)
            return True
        handle = self.path.open("a+", encoding="ascii")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    @property
    def held(self) -> bool:
        """True while this process (or its parent for it) holds the lock."""
        return self.inherited or self._handle is not None

    def release(self) -> None:
        """Give the lock back (idempotent)."""
        self.inherited = False
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def pcscd_binary() -> str | None:
    """Path of pcscd, or None when it or the vpcd driver is not installed."""
    if not VPCD_DRIVER.exists():
        return None
    found = shutil.which("pcscd")
    if found:
        return found
    return "/usr/sbin/pcscd" if Path("/usr/sbin/pcscd").exists() else None


def pcscd_command(binary: str) -> list[str]:
    """``pcscd -f`` plus ``--disable-polkit`` only where this pcscd knows the option."""
    try:
        probe = subprocess.run(  # noqa: S603 - the installed pcscd, fixed argument
            [binary, "--help"], capture_output=True, text=True, timeout=HELP_TIMEOUT_S, check=False
        )
        help_text = probe.stdout + probe.stderr
    except (OSError, subprocess.TimeoutExpired):
        help_text = ""
    command = [binary, "-f"]
    if DISABLE_POLKIT in help_text:
        command.append(DISABLE_POLKIT)
    return command
