"""Copy an image's mapped ranges onto a card (or file); read exactly those back to verify them."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path
from typing import BinaryIO

from kiosk.tech.blockmap import BlockMap
from kiosk.tech.errors import TargetRefusedError, VerifyError, WriteFailedError
from kiosk.tech.image import CHUNK_BYTES
from kiosk.tech.progress import Progress

#: errno values that mean "this card cannot take the image" rather than a bug
MEDIUM_ERRNOS = {errno.EROFS: "it is read-only (write-protect switch?)",
                 errno.EACCES: "permission denied", errno.EPERM: "permission denied",
                 errno.ENOSPC: "no space left", errno.EFBIG: "the file would be too large",
                 errno.EIO: "input/output error (bad card or reader?)"}  # fmt: skip


def open_for_writing(target: str, *, is_file: bool) -> int:
    """Open ``target`` for writing (TargetRefusedError with a plain reason when it cannot be)."""
    flags = os.O_WRONLY | (os.O_CREAT if is_file else 0)
    try:
        return os.open(target, flags, 0o644)
    except OSError as err:
        reason = MEDIUM_ERRNOS.get(err.errno or 0, err.strerror or str(err))
        raise TargetRefusedError(target, reason) from None


def write_ranges(image: Path, fd: int, target: str, bmap: BlockMap, *, is_file: bool) -> str:
    """Write the mapped ranges of ``image`` to ``fd``; the SHA-256 of the whole image as read."""
    whole = hashlib.sha256()
    bar = Progress("write", bmap.mapped_bytes)
    done = 0
    try:
        if is_file:
            os.ftruncate(fd, 0)
            os.ftruncate(fd, bmap.image_size)
        with open(image, "rb") as src:
            pos = 0
            for rng in bmap.ranges:
                if rng.start > pos:  # skipped bytes still go into the whole-image digest
                    _hash_span(src, pos, rng.start, whole)
                src.seek(rng.start)
                part = hashlib.sha256()
                left = rng.length
                at = rng.start
                while left:
                    chunk = src.read(min(CHUNK_BYTES, left))
                    if not chunk:
                        raise VerifyError(f"{image} ended while it was being written")
                    whole.update(chunk)
                    part.update(chunk)
                    view = memoryview(chunk)
                    while view:
                        n = os.pwrite(fd, view, at)
                        view, at = view[n:], at + n
                    left -= len(chunk)
                    done += len(chunk)
                    bar.update(done)
                if part.hexdigest() != rng.sha256:
                    raise VerifyError(f"{image} changed while it was being written")
                pos = rng.end
            if pos < bmap.image_size:
                _hash_span(src, pos, bmap.image_size, whole)
        os.fsync(fd)
        # Drop the cached pages so the read-back really comes from the medium.
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    except OSError as err:
        reason = MEDIUM_ERRNOS.get(err.errno or 0, err.strerror or str(err))
        raise WriteFailedError(target, reason) from None
    bar.finish()
    return whole.hexdigest()


def _hash_span(src: BinaryIO, start: int, end: int, digest: hashlib._Hash) -> None:
    src.seek(start)
    left = end - start
    while left:
        chunk = src.read(min(CHUNK_BYTES, left))
        if not chunk:
            return
        digest.update(chunk)
        left -= len(chunk)


def verify_ranges(target: str, bmap: BlockMap) -> None:
    """Read back every mapped range from ``target`` and compare its SHA-256."""
    bar = Progress("verify", bmap.mapped_bytes)
    done = 0
    try:
        fd = os.open(target, os.O_RDONLY)
    except OSError as err:
        raise WriteFailedError(target, err.strerror or str(err)) from None
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        for rng in bmap.ranges:
            digest = hashlib.sha256()
            at = rng.start
            while at < rng.end:
                chunk = os.pread(fd, min(CHUNK_BYTES, rng.end - at), at)
                if not chunk:
                    raise VerifyError(f"{target} ended at byte {at} (smaller than the image?)")
                digest.update(chunk)
                at += len(chunk)
                done += len(chunk)
                bar.update(done)
            if digest.hexdigest() != rng.sha256:
                raise VerifyError(
                    f"{target}: bytes {rng.start}-{rng.end} read back differently from the image"
                    " (bad card or reader?)"
                )
    except OSError as err:
        raise WriteFailedError(target, err.strerror or str(err)) from None
    finally:
        os.close(fd)
    bar.finish()
