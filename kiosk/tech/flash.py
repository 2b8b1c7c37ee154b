"""``flash``: check everything, write the image, verify it, then add the per-device files.

Order matters: every check that can refuse (site file, kiosk id, token, image checksum, image
layout, target) runs before the first byte is written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.tech import bootfs
from kiosk.tech.errors import TargetRefusedError, VerifyError
from kiosk.tech.image import boot_partition, verify_image_checksum
from kiosk.tech.site import (
    BOOT_CONFIG_DIR,
    FILE_CA,
    FILE_CONFIG,
    FILE_TOKEN,
    load_site,
    render_kiosk_toml,
    validate_kiosk_id,
)
from kiosk.tech.target import TargetKind, check_target, inspect_target
from kiosk.tech.writer import verify_written, write_image


@dataclass(frozen=True, slots=True)
class FlashRequest:
    """The arguments of one ``flash`` run."""

    image: Path
    target: str
    site: Path
    kiosk_id: str
    token: str | None = None
    assume_yes: bool = False
    force_size: bool = False


@dataclass(frozen=True, slots=True)
class FlashResult:
    """What was written."""

    sha256: str
    bytes_written: int
    boot_offset: int
    files: tuple[str, ...]


Confirm = Callable[[str], bool]


def _ask(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    sys.stderr.write(question)
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def flash(req: FlashRequest, confirm: Confirm = _ask) -> FlashResult:
    """Write ``req.image`` to ``req.target`` and provision it; raises a TechError on refusal."""
    site = load_site(req.site)
    kiosk_id = validate_kiosk_id(req.kiosk_id)
    token = req.token if req.token is not None else site.token_for(kiosk_id)
    files = {
        FILE_CONFIG: render_kiosk_toml(site, kiosk_id).encode(),
        FILE_CA: site.ca_pem.encode("ascii"),
        FILE_TOKEN: (token + "\n").encode("ascii"),
    }
    image = req.image.resolve()
    part = boot_partition(image)
    facts = inspect_target(req.target)
    check_target(facts, force_size=req.force_size)
    if facts.kind is TargetKind.FILE and Path(req.target).resolve() == image:
        raise TargetRefusedError(req.target, "it is the image itself")
    size = image.stat().st_size
    if facts.kind is not TargetKind.FILE and facts.size_bytes < size:
        raise TargetRefusedError(
            req.target, f"it holds {facts.size_bytes} bytes, the image needs {size}"
        )
    digest = verify_image_checksum(image)
    if not req.assume_yes and not confirm(
        f"Erase everything on {req.target} and write kiosk {kiosk_id}? [y/N] "
    ):
        raise TargetRefusedError(req.target, "not confirmed (use --yes when not interactive)")
    written = write_image(image, req.target, is_file=facts.kind is TargetKind.FILE)
    if written != digest:
        raise VerifyError(f"{image} changed while it was being written")
    verify_written(req.target, size, digest)
    bootfs.write_files(req.target, part, BOOT_CONFIG_DIR, files)
    for name, content in files.items():
        if bootfs.read_file(req.target, part, f"{BOOT_CONFIG_DIR}/{name}") != content:
            raise VerifyError(f"{req.target}: {BOOT_CONFIG_DIR}/{name} reads back differently")
    return FlashResult(
        sha256=digest,
        bytes_written=size,
        boot_offset=part.start_bytes,
        files=tuple(f"{BOOT_CONFIG_DIR}/{n}" for n in files),
    )
