"""A process lock so that only one sender works on an outbox (released by the kernel on death)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from server_sync.errors import SyncError


class SenderBusyError(SyncError):
    """Another sender process holds the lock."""

    code = "sender_busy"


class SenderLock:
    """``with SenderLock(path):`` — exclusive, non-blocking ``flock`` on ``path``."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def __enter__(self) -> SenderLock:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            os.close(fd)
            raise SenderBusyError("another sender process is running") from err
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
