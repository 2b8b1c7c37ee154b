"""Defaults staff set in maintenance (language, counter number), kept in the state folder.

The file is small JSON, written atomically (temp file in the same folder, fsync, ``os.replace``,
fsync of the folder), so a power cut leaves either the old or the new defaults. A file that is
unreadable or holds unknown values is ignored field by field (logged by code, never fatal).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.i18n.languages import LANGUAGES

log = logging.getLogger(__name__)

DEFAULTS_FILE = "ui-defaults.json"
FORMAT_VERSION = 1
#: counter numbers staff can set (the maintenance screen's - / + buttons)
MAX_COUNTER = 999
_LANGUAGE_CODES = frozenset(lang.code for lang in LANGUAGES)


@dataclass(frozen=True, slots=True)
class StaffDefaults:
    """What staff chose; ``None`` = keep the configured value."""

    language: str | None = None
    counter: str | None = None


def defaults_path(state_dir: Path) -> Path:
    """Where the defaults live."""
    return state_dir / DEFAULTS_FILE


def _valid_counter(value: Any) -> str | None:
    if isinstance(value, str) and value.isdigit() and 1 <= int(value) <= MAX_COUNTER:
        return str(int(value))
    return None


def load_defaults(state_dir: Path) -> StaffDefaults:
    """The saved defaults (empty when there are none or they are unusable)."""
    path = defaults_path(state_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return StaffDefaults()
    except (OSError, ValueError):
        log.warning("staff defaults unreadable: %s (ignored)", path)
        return StaffDefaults()
    if not isinstance(raw, dict):
        log.warning("staff defaults malformed: %s (ignored)", path)
        return StaffDefaults()
    language = raw.get("language")
    counter = _valid_counter(raw.get("counter"))
    if language is not None and language not in _LANGUAGE_CODES:
        log.warning("staff defaults: unknown language ignored")
        language = None
    if raw.get("counter") is not None and counter is None:
        log.warning("staff defaults: invalid counter ignored")
    return StaffDefaults(language=language, counter=counter)


def save_defaults(state_dir: Path, defaults: StaffDefaults) -> None:
    """Write the defaults atomically and durably."""
    state_dir.mkdir(parents=True, exist_ok=True)
    payload = {"version": FORMAT_VERSION, "language": defaults.language}
    payload["counter"] = defaults.counter
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".ui-defaults-", suffix=".tmp", dir=state_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, defaults_path(state_dir))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    folder = os.open(state_dir, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
