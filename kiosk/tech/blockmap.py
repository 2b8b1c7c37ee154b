"""The block map of an image: the byte ranges ``flash`` writes and verifies (others are skipped).

Rule (docs/appliance.md "Block map"): the partition table, the FAT boot partition and every gap are
always written in full. Inside a Linux partition that holds an ext4 file system, only the blocks
the file system uses are written (its free blocks per ``dumpe2fs`` are skipped: their content is
never read). A Linux partition that is empty in the image (all zero, e.g. update slot B) is skipped:
RAUC writes the whole slot before it is ever booted. The map is saved next to the image as
``IMAGE.bmap`` (JSON, :data:`BMAP_VERSION`) with the image's SHA-256 and one SHA-256 per range, so
``flash`` reads back and checks exactly the ranges it wrote.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.tech.errors import ImageError
from kiosk.tech.image import CHUNK_BYTES, partitions
from kiosk.tech.tools import require_tool

BMAP_VERSION = 1
BMAP_SUFFIX = ".bmap"
LINUX_TYPES = frozenset({"0FC63DAF-8483-4772-8E79-3D69D8477DE4", "83"})
#: ranges closer than this are merged (fewer, larger writes)
MERGE_GAP_BYTES = 1024 * 1024
FREE_RE = re.compile(r"^\s+Free blocks: (.*)$", re.MULTILINE)
BLOCK_SIZE_RE = re.compile(r"^Block size:\s+(\d+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Range:
    """``[start, end)`` bytes of the image and the SHA-256 of those bytes."""

    start: int
    end: int
    sha256: str = ""

    @property
    def length(self) -> int:
        """Bytes in the range."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class BlockMap:
    """The ranges to write, for an image of ``image_size`` bytes with ``image_sha256``."""

    image_size: int
    image_sha256: str
    ranges: tuple[Range, ...]

    @property
    def mapped_bytes(self) -> int:
        """Bytes written and verified."""
        return sum(r.length for r in self.ranges)

    def to_json(self) -> str:
        """The ``IMAGE.bmap`` text."""
        return json.dumps({
            "version": BMAP_VERSION, "image_size": self.image_size,
            "image_sha256": self.image_sha256, "mapped_bytes": self.mapped_bytes,
            "ranges": [[r.start, r.end, r.sha256] for r in self.ranges],
        }, indent=1) + "\n"  # fmt: skip

    @classmethod
    def from_json(cls, text: str, where: str) -> BlockMap:
        """Parse an ``IMAGE.bmap``; ImageError if it is not one."""
        try:
            raw = json.loads(text)
            if raw["version"] != BMAP_VERSION:
                raise ValueError(f"version {raw['version']}")
            ranges = tuple(Range(int(s), int(e), str(h)) for s, e, h in raw["ranges"])
            bmap = cls(int(raw["image_size"]), str(raw["image_sha256"]), ranges)
        except (ValueError, KeyError, TypeError) as err:
            raise ImageError(f"{where} is not a block map: {err}") from None
        last = 0
        for r in bmap.ranges:
            if r.start < last or r.end <= r.start or r.end > bmap.image_size:
                raise ImageError(f"{where}: ranges overlap or leave the image")
            last = r.end
        return bmap


def _data_extents(fd: int, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Allocated extents of the file within ``[start, end)`` (SEEK_DATA / SEEK_HOLE)."""
    pos = start
    while pos < end:
        try:
            data = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError:  # ENXIO: only a hole is left
            return
        if data >= end:
            return
        hole = min(os.lseek(fd, data, os.SEEK_HOLE), end)
        yield data, hole
        pos = hole


def _is_zero(fd: int, start: int, end: int) -> bool:
    for a, b in _data_extents(fd, start, end):
        pos = a
        while pos < b:
            chunk = os.pread(fd, min(CHUNK_BYTES, b - pos), pos)
            if chunk.count(0) != len(chunk):
                return False
            pos += len(chunk)
    return True


def _ext4_free(image: Path, offset: int) -> list[tuple[int, int]] | None:
    """Free byte ranges (from the partition start) of an ext4 file system; None if there is none."""
    proc = subprocess.run(  # noqa: S603 - fixed tool, our path
        [require_tool("dumpe2fs"), f"{image}?offset={offset}"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    size = BLOCK_SIZE_RE.search(proc.stdout)
    if proc.returncode != 0 or size is None:
        return None
    block = int(size.group(1))
    free = []
    for line in FREE_RE.findall(proc.stdout):
        for part in line.split(","):
            part = part.strip()
            if not part:
                continue
            first, _, last = part.partition("-")
            free.append((int(first) * block, (int(last or first) + 1) * block))
    return free


def _subtract(keep: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in keep:
        pos = a
        for h0, h1 in holes:
            if h1 <= pos or h0 >= b:
                continue
            if h0 > pos:
                out.append((pos, h0))
            pos = max(pos, h1)
        if pos < b:
            out.append((pos, b))
    return out


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if merged and a - merged[-1][1] <= MERGE_GAP_BYTES:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def build(image: Path, image_sha256: str) -> BlockMap:
    """Compute the block map of ``image`` (see the module's rule) with a SHA-256 per range."""
    size = image.stat().st_size
    skip: list[tuple[int, int]] = []
    fd = os.open(image, os.O_RDONLY)
    try:
        for part in partitions(image):
            if part.type not in LINUX_TYPES:
                continue
            start, end = part.start_bytes, part.start_bytes + part.size_bytes
            free = _ext4_free(image, start)
            if free is not None:
                skip += [(start + a, min(start + b, end)) for a, b in free]
            elif _is_zero(fd, start, end):
                skip.append((start, end))
        spans = _merge(_subtract([(0, size)], sorted(skip)))
        ranges = tuple(Range(a, b, _sha_range(fd, a, b)) for a, b in spans)
    finally:
        os.close(fd)
    return BlockMap(size, image_sha256, ranges)


def _sha_range(fd: int, start: int, end: int) -> str:
    digest = hashlib.sha256()
    pos = start
    while pos < end:
        chunk = os.pread(fd, min(CHUNK_BYTES, end - pos), pos)
        if not chunk:
            raise ImageError(f"image ended at {pos} inside a mapped range")
        digest.update(chunk)
        pos += len(chunk)
    return digest.hexdigest()


def bmap_path(image: Path) -> Path:
    """``IMAGE.bmap``."""
    return image.with_name(image.name + BMAP_SUFFIX)


def load_or_build(image: Path, image_sha256: str) -> BlockMap:
    """The saved ``IMAGE.bmap`` when it belongs to this image, else a freshly computed map."""
    path = bmap_path(image)
    if path.is_file():
        bmap = BlockMap.from_json(path.read_text(encoding="utf-8"), str(path))
        if bmap.image_sha256 != image_sha256 or bmap.image_size != image.stat().st_size:
            raise ImageError(f"{path} belongs to another image (SHA-256 or size differ)")
        return bmap
    return build(image, image_sha256)
