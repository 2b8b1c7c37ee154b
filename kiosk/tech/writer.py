"""Copy an image onto a card (or file) and read it back to prove it arrived intact."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kiosk.tech.errors import VerifyError
from kiosk.tech.image import CHUNK_BYTES, sha256_of
from kiosk.tech.progress import Progress


def write_image(image: Path, target: str, *, is_file: bool) -> str:
    """Write ``image`` to ``target`` (fsync'd); return the SHA-256 of the bytes written."""
    size = image.stat().st_size
    digest = hashlib.sha256()
    flags = os.O_WRONLY | (os.O_CREAT | os.O_TRUNC if is_file else 0)
    bar = Progress("write", size)
    with open(image, "rb") as src:
        fd = os.open(target, flags, 0o644)
        try:
            done = 0
            while True:
                chunk = src.read(CHUNK_BYTES)
                if not chunk:
                    break
                digest.update(chunk)
                view = memoryview(chunk)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                done += len(chunk)
                bar.update(done)
            os.fsync(fd)
            # Drop the cached pages so the read-back really comes from the medium.
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    bar.finish()
    return digest.hexdigest()


def verify_written(target: str, length: int, expected: str) -> None:
    """Read back ``length`` bytes from ``target`` and compare their SHA-256 with ``expected``."""
    actual = sha256_of(target, length, label="verify")
    if actual != expected:
        raise VerifyError(
            f"{target}: read-back SHA-256 {actual[:16]}… differs from the image {expected[:16]}…"
            " (bad card or reader?)"
        )
