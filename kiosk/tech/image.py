"""The kiosk image file: checksum against IMAGE.sha256 and the boot partition's offset."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kiosk.tech.errors import ChecksumMismatchError, ImageError
from kiosk.tech.progress import Progress
from kiosk.tech.tools import require_tool

CHUNK_BYTES = 4 * 1024 * 1024
SHA256_RE = re.compile(r"^([0-9a-fA-F]{64})\b")
#: the boot partition: GPT name "boot", or a FAT partition type (GPT basic data, MBR 0b/0c/0e)
BOOT_PART_NAME = "boot"
FAT_TYPES = frozenset({"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "b", "c", "e"})


@dataclass(frozen=True, slots=True)
class Partition:
    """One entry of the image's partition table."""

    number: int
    start_bytes: int
    size_bytes: int
    type: str
    name: str


def expected_sha256(image: Path) -> str:
    """The hash in ``IMAGE.sha256`` (``sha256sum`` format); ImageError if absent or malformed."""
    sums = image.with_name(image.name + ".sha256")
    try:
        text = sums.read_text(encoding="ascii")
    except FileNotFoundError:
        raise ImageError(f"{sums} is missing: the image cannot be checked before writing") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ImageError(f"cannot read {sums}: {err}") from err
    match = SHA256_RE.match(text.strip())
    if not match:
        raise ImageError(f"{sums} does not start with a SHA-256 hex digest")
    return match.group(1).lower()


def sha256_of(path: Path | str, length: int | None = None, label: str = "check") -> str:
    """SHA-256 of the first ``length`` bytes of ``path`` (all of it by default), with progress."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        total = length if length is not None else fh.seek(0, 2)
        fh.seek(0)
        bar = Progress(label, total)
        done = 0
        while done < total:
            chunk = fh.read(min(CHUNK_BYTES, total - done))
            if not chunk:
                raise ImageError(f"{path} ended after {done} of {total} bytes")
            digest.update(chunk)
            done += len(chunk)
            bar.update(done)
        bar.finish()
    return digest.hexdigest()


def verify_image_checksum(image: Path) -> str:
    """Compare the image with IMAGE.sha256; return the digest or raise ChecksumMismatchError."""
    if not image.is_file():
        raise ImageError(f"{image}: no such image file")
    expected = expected_sha256(image)
    actual = sha256_of(image, label="check")
    if actual != expected:
        raise ChecksumMismatchError(str(image), expected, actual)
    return actual


def partitions(path: Path | str) -> list[Partition]:
    """The partition table of an image file or device, read with ``sfdisk --json``."""
    proc = subprocess.run(  # noqa: S603 - fixed tool, a path argument, no shell
        [require_tool("sfdisk"), "--json", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    if proc.returncode != 0:
        raise ImageError(f"{path}: no readable partition table ({proc.stderr.strip()})")
    table = json.loads(proc.stdout)["partitiontable"]
    sector = int(table.get("sectorsize", 512))
    out = []
    for i, part in enumerate(table.get("partitions", []), start=1):
        out.append(
            Partition(
                number=i,
                start_bytes=int(part["start"]) * sector,
                size_bytes=int(part["size"]) * sector,
                type=str(part.get("type", "")).upper() if len(str(part.get("type", ""))) > 2
                else str(part.get("type", "")).lower(),
                name=str(part.get("name", "")),
            )
        )  # fmt: skip
    return out


def boot_partition(path: Path | str) -> Partition:
    """The FAT boot partition (named "boot", else the first FAT-typed one)."""
    parts = partitions(path)
    for part in parts:
        if part.name == BOOT_PART_NAME:
            return part
    for part in parts:
        if part.type in FAT_TYPES:
            return part
    raise ImageError(f"{path}: no FAT boot partition in the partition table")
