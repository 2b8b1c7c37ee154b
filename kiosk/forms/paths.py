"""Where the forms domain keeps its state on a kiosk (overridable by environment)."""

from __future__ import annotations

import os
from pathlib import Path

#: the kiosk's writable state directory (systemd ``StateDirectory=kiosk``)
DEFAULT_STATE_DIR = Path("/var/lib/kiosk")
ENV_STATE_DIR = "KIOSK_STATE_DIR"
ENV_MASTER_DB = "KIOSK_MASTER_DB"
ENV_DEVICE_KEY = "KIOSK_DEVICE_KEY"
MASTER_FILE_NAME = "master.sqlite"
DEVICE_KEY_FILE_NAME = "device_key.pem"


def state_dir() -> Path:
    """``$KIOSK_STATE_DIR`` or ``/var/lib/kiosk``."""
    return Path(os.environ.get(ENV_STATE_DIR) or DEFAULT_STATE_DIR)


def default_master_path() -> Path:
    """``$KIOSK_MASTER_DB``, else ``<state dir>/master.sqlite``."""
    explicit = os.environ.get(ENV_MASTER_DB)
    return Path(explicit) if explicit else state_dir() / MASTER_FILE_NAME


def default_device_key_path() -> Path:
    """``$KIOSK_DEVICE_KEY``, else ``<state dir>/device_key.pem``."""
    explicit = os.environ.get(ENV_DEVICE_KEY)
    return Path(explicit) if explicit else state_dir() / DEVICE_KEY_FILE_NAME
