"""The batch record: one JSON line per card (kiosk id, image version, card, time, result).

The file is 0600: a line may carry the stand's generated staff PIN (the only place it is kept).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.tech.errors import TechError

DEFAULT_RECORD = Path("kiosk-batch.jsonl")
RESULT_OK = "ok"
IMAGE_VERSION_RE = re.compile(r"^kiosk-(.+)\.img$")


@dataclass(frozen=True, slots=True)
class CardRecord:
    """One flashing attempt."""

    kiosk_id: str
    image_version: str
    card_model: str
    card_size_bytes: int
    card_serial: str
    target: str
    time: str
    result: str  # "ok" or the error code
    detail: str = ""
    seconds: float = 0.0
    bytes_written: int = 0
    staff_pin: str | None = None  # only when flash generated it


def now_stamp() -> str:
    """UTC time, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def image_version(image: Path) -> str:
    """``kiosk-1.4.0.img`` → ``1.4.0`` (else the file name)."""
    match = IMAGE_VERSION_RE.match(image.name)
    return match.group(1) if match else image.name


def read_records(path: Path) -> list[CardRecord]:
    """Every record in ``path`` ([] when it does not exist)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        raise TechError(f"cannot read the batch record {path}: {err}") from err
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(CardRecord(**json.loads(line)))
        except (ValueError, TypeError) as err:
            raise TechError(f"{path}:{number} is not a batch record line ({err})") from None
    return out


def flashed_before(path: Path, kiosk_id: str) -> CardRecord | None:
    """The last successful record for ``kiosk_id``, if any."""
    done = [r for r in read_records(path) if r.kiosk_id == kiosk_id and r.result == RESULT_OK]
    return done[-1] if done else None


def append(path: Path, record: CardRecord) -> None:
    """Add one line (created 0600, fsync'd)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (json.dumps(asdict(record), ensure_ascii=False) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
