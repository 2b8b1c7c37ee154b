"""The kiosk's secrets: the Ed25519 device key and the separate 256-bit outbox encryption key.

Both live in files with mode 0600 under the state directory and are generated on first use.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from server_sync.errors import ConfigError
from server_sync.fsutil import create_exclusive

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

OUTBOX_KEY_BYTES = 32


def _check_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} must not be readable by group/others (mode {mode:o})")


def load_or_create_device_key(path: Path) -> Ed25519PrivateKey:
    """Load the device's Ed25519 key (PKCS#8 PEM), creating it with mode 0600 if missing."""
    # imported here: the outbox key (below) needs no cryptography, and the UI reads it at start
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        load_pem_private_key,
    )

    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        create_exclusive(path, pem)
    _check_private(path)
    try:
        loaded = load_pem_private_key(path.read_bytes(), password=None)
    except ValueError as err:
        raise ConfigError(f"{path} is not a PEM private key") from err
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ConfigError(f"{path} does not hold an Ed25519 key")
    return loaded


def load_or_create_outbox_key(path: Path) -> bytes:
    """Load the 32-byte AES-256-GCM key of the outbox, creating it with mode 0600 if missing."""
    if not path.exists():
        create_exclusive(path, os.urandom(OUTBOX_KEY_BYTES))
    _check_private(path)
    key = path.read_bytes()
    if len(key) != OUTBOX_KEY_BYTES:
        raise ConfigError(f"{path} must hold exactly {OUTBOX_KEY_BYTES} bytes")
    return key
