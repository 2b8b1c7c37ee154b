"""``flash``: check everything, write the image's mapped blocks, verify them, add the stand's files.

Order matters: every check that can refuse (site file and settings schema, kiosk id, token, a kiosk
id flashed before, target kind, mounts, size, writability) runs before the image is hashed, and the
image checksum before the first byte is written. Each attempt is a line in the batch record.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.tech import blockmap, bootfs, record
from kiosk.tech.disks import describe, unmount_all
from kiosk.tech.errors import TargetRefusedError, TechError, VerifyError
from kiosk.tech.image import boot_partition, verify_image_checksum
from kiosk.tech.site import BOOT_CONFIG_DIR, load_site, stand_files, validate_kiosk_id
from kiosk.tech.target import TargetFacts, TargetKind, check_target, inspect_target
from kiosk.tech.writer import open_for_writing, verify_ranges, write_ranges


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
    to_file: bool = False  # allow overwriting an existing regular file
    again: bool = False  # allow a kiosk id that the batch record shows as flashed
    record: Path = record.DEFAULT_RECORD


@dataclass(frozen=True, slots=True)
class FlashResult:
    """What was written."""

    sha256: str
    bytes_written: int
    image_bytes: int
    boot_offset: int
    files: tuple[str, ...]
    seconds: float
    staff_pin_generated: bool


Confirm = Callable[[str], bool]


def _ask(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    sys.stderr.write(question)
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _prepare_target(req: FlashRequest, protected: set[Path]) -> TargetFacts:
    """Inspect, unmount and check the target; refuse what must not be overwritten."""
    facts = inspect_target(req.target)
    if facts.kind is TargetKind.FILE:
        if Path(req.target).resolve() in protected:
            raise TargetRefusedError(
                req.target, "it is the image, its .sha256/.bmap, the site file or the batch record"
            )
        if facts.exists and not req.to_file:
            raise TargetRefusedError(
                req.target, "it is an existing regular file, not a card (--to-file to overwrite it)"
            )
        return facts
    if facts.mounted and not facts.holds_root and facts.kind in (TargetKind.DISK, TargetKind.LOOP):
        check_target(replace(facts, mounted=()), force_size=req.force_size)
        unmount_all(req.target, facts.mounted)
        facts = inspect_target(req.target)
    check_target(facts, force_size=req.force_size)
    if facts.read_only:
        raise TargetRefusedError(req.target, "it is read-only (write-protect switch?)")
    return facts


def _check_room(req: FlashRequest, facts: TargetFacts, image_bytes: int, mapped: int) -> None:
    if facts.kind is TargetKind.FILE:
        free = shutil.disk_usage(Path(req.target).resolve().parent).free + facts.size_bytes
        if free < mapped:
            raise TargetRefusedError(
                req.target, f"only {free} bytes free, the image needs {mapped}"
            )
    elif facts.size_bytes < image_bytes:
        raise TargetRefusedError(
            req.target, f"it holds {facts.size_bytes} bytes, the image needs {image_bytes}"
        )


def flash(req: FlashRequest, confirm: Confirm = _ask) -> FlashResult:
    """Write ``req.image`` to ``req.target`` and provision it; raises a TechError on refusal."""
    site = load_site(req.site)
    kiosk_id = validate_kiosk_id(req.kiosk_id)
    token = req.token if req.token is not None else site.token_for(kiosk_id)
    stand = stand_files(site, kiosk_id, token=token)
    before = record.flashed_before(req.record, kiosk_id)
    if (
        before is not None
        and not req.again
        and not confirm(
            f"kiosk {kiosk_id} was already flashed at {before.time}"
            f" (card {before.card_serial or '?'})."
            " Flash it again? [y/N] "
        )
    ):
        raise TargetRefusedError(req.target, f"kiosk {kiosk_id} was flashed before (--again)")
    image = req.image.resolve()
    if not image.is_file():
        raise TechError(f"{image}: no such image file")
    part = boot_partition(image)
    protected = {image, req.site.resolve(), blockmap.bmap_path(image),
                 image.with_name(image.name + ".sha256"), req.record.resolve()}  # fmt: skip
    facts = _prepare_target(req, protected)
    image_bytes = image.stat().st_size
    # Before hashing: the saved map's size, else the image's allocated bytes (exact check below).
    saved = blockmap.bmap_path(image)
    estimate = (blockmap.BlockMap.from_json(saved.read_text(encoding="utf-8"), str(saved))
                .mapped_bytes if saved.is_file() else image.stat().st_blocks * 512)  # fmt: skip
    _check_room(req, facts, image_bytes, min(estimate, image_bytes))
    card = describe(req.target) if facts.kind is not TargetKind.FILE else None
    fd = open_for_writing(req.target, is_file=facts.kind is TargetKind.FILE)
    entry: dict[str, Any] = {
        "kiosk_id": kiosk_id, "image_version": record.image_version(image),
        "card_model": card.model if card else "", "card_size_bytes": facts.size_bytes,
        "card_serial": card.serial if card else "", "target": req.target,
    }  # fmt: skip
    started = time.monotonic()
    try:
        digest = verify_image_checksum(image)
        bmap = blockmap.load_or_build(image, digest)
        _check_room(req, facts, image_bytes, bmap.mapped_bytes)
        what = card.describe() if card else req.target
        if not req.assume_yes and not confirm(
            f"Erase everything on {what} and write kiosk {kiosk_id}? [y/N] "
        ):
            raise TargetRefusedError(req.target, "not confirmed (use --yes when not interactive)")
        written = write_ranges(image, fd, req.target, bmap, is_file=facts.kind is TargetKind.FILE)
        os.close(fd)
        fd = -1
        if written != digest:
            raise VerifyError(f"{image} changed while it was being written")
        verify_ranges(req.target, bmap)
        bootfs.write_files(req.target, part, BOOT_CONFIG_DIR, stand.files)
        for name, content in stand.files.items():
            if bootfs.read_file(req.target, part, f"{BOOT_CONFIG_DIR}/{name}") != content:
                raise VerifyError(f"{req.target}: {BOOT_CONFIG_DIR}/{name} reads back differently")
    except TechError as err:
        record.append(req.record, record.CardRecord(
            **entry, time=record.now_stamp(), result=err.code, detail=str(err),
            seconds=round(time.monotonic() - started, 2),
        ))  # fmt: skip
        if facts.kind is TargetKind.FILE and not facts.exists:
            Path(req.target).unlink(missing_ok=True)  # a half-made new file would block a retry
        raise
    finally:
        if fd >= 0:
            os.close(fd)
    seconds = time.monotonic() - started
    record.append(req.record, record.CardRecord(
        **entry, time=record.now_stamp(), result=record.RESULT_OK, seconds=round(seconds, 2),
        bytes_written=bmap.mapped_bytes, staff_pin=stand.generated_pin,
    ))  # fmt: skip
    return FlashResult(
        sha256=digest, bytes_written=bmap.mapped_bytes, image_bytes=image_bytes,
        boot_offset=part.start_bytes, files=tuple(f"{BOOT_CONFIG_DIR}/{n}" for n in stand.files),
        seconds=seconds, staff_pin_generated=stand.generated_pin is not None,
    )  # fmt: skip
