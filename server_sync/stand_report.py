"""What a stand tells the fleet view besides its outbox: image version, slot, reader, printer.

- The image version is the build id the SD image (or the RAUC bundle's root file system) carries in
  ``/etc/kiosk-image-id`` (``KIOSK_IMAGE_ID=…``, written by image-build/hooks/customize.sh).
- The slot is the RAUC boot name on the kernel command line (``rauc.slot=A``); empty off-device.
- Reader and printer state come from the UI process (it owns the devices): it writes
  ``device-state.json`` in the state folder whenever either changes; the sync service reads it for
  the heartbeat. The file is never trusted blindly: unknown values and stale files read as unknown.

No personal data is ever written here.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from server_sync.fsutil import write_atomic

log = logging.getLogger(__name__)

DEVICE_STATE_FILE = "device-state.json"
IMAGE_ID_FILE = Path("/etc/kiosk-image-id")
PROC_CMDLINE = Path("/proc/cmdline")
IMAGE_ID_KEY = "KIOSK_IMAGE_ID="
SLOT_ARG = "rauc.slot="
#: the UI rewrites the file on every change and at least this often; older: the UI is not running
DEVICE_STATE_MAX_AGE_S = 15 * 60
#: what a heartbeat may say about a device (the intake checks the same list)
READER_STATES = ("ok", "missing", "unknown")
PRINTER_STATES = ("ok", "paper_out", "offline", "missing", "unknown")
_VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+:~-]{0,63}$")
_SLOT_RE = re.compile(r"^[A-Za-z0-9._-]{1,16}$")
_MAX_FILE_BYTES = 4096


@dataclass(frozen=True, slots=True)
class StandReport:
    """The stand's side of a heartbeat (``None`` where the stand cannot tell)."""

    image_version: str | None
    slot: str | None
    reader: str
    printer: str


def image_version(path: Path = IMAGE_ID_FILE) -> str | None:
    """The image build id, or None off-device or when the file is unreadable or malformed."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:_MAX_FILE_BYTES]
    except OSError:
        return None
    for line in text.splitlines():
        value = line.strip().removeprefix(IMAGE_ID_KEY).strip().strip('"')
        if line.strip().startswith(IMAGE_ID_KEY) and _VERSION_RE.match(value):
            return value
    return None


def boot_slot(cmdline: Path = PROC_CMDLINE) -> str | None:
    """The RAUC slot the stand booted (``A``/``B``), or None when not booted by RAUC."""
    try:
        words = cmdline.read_text(encoding="ascii", errors="replace")[:_MAX_FILE_BYTES].split()
    except OSError:
        return None
    for word in words:
        if word.startswith(SLOT_ARG) and _SLOT_RE.match(slot := word.removeprefix(SLOT_ARG)):
            return slot
    return None


def write_device_state(state_dir: Path, *, reader: str, printer: str) -> None:
    """Record the UI's view of its devices (atomic; the sync service reads it)."""
    if reader not in READER_STATES or printer not in PRINTER_STATES:
        raise ValueError(f"unknown device state {reader!r}/{printer!r}")
    doc = {"reader": reader, "printer": printer, "at": time.time()}
    write_atomic(state_dir / DEVICE_STATE_FILE, json.dumps(doc).encode(), mode=0o644)


def read_device_state(state_dir: Path, *, now: float | None = None) -> tuple[str, str]:
    """(reader, printer) as the UI last wrote them; both "unknown" when absent, stale or bad."""
    try:
        raw = (state_dir / DEVICE_STATE_FILE).read_bytes()[:_MAX_FILE_BYTES]
        doc = json.loads(raw)
    except (OSError, ValueError):
        return "unknown", "unknown"
    if not isinstance(doc, dict):
        return "unknown", "unknown"
    at = doc.get("at")
    current = time.time() if now is None else now
    if not isinstance(at, (int, float)) or abs(current - at) > DEVICE_STATE_MAX_AGE_S:
        return "unknown", "unknown"
    reader, printer = doc.get("reader"), doc.get("printer")
    return (
        reader if reader in READER_STATES else "unknown",
        printer if printer in PRINTER_STATES else "unknown",
    )


def stand_report(
    state_dir: Path, *, image_id: Path = IMAGE_ID_FILE, cmdline: Path = PROC_CMDLINE
) -> StandReport:
    """Everything the heartbeat says about the stand itself."""
    reader, printer = read_device_state(state_dir)
    return StandReport(image_version(image_id), boot_slot(cmdline), reader, printer)
