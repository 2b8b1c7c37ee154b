"""The kiosk's Ed25519 device key: PEM files, public-key ids."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.forms.errors import KeyFileError

#: a key id is the first 8 bytes of SHA-256 of the raw 32-byte public key
KEY_ID_BYTES = 8
_PRIVATE_FILE_MODE = 0o600


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_bytes(key: Ed25519PublicKey) -> bytes:
    """The 8-byte key id."""
    return hashlib.sha256(raw_public_key(key)).digest()[:KEY_ID_BYTES]


def key_id(key: Ed25519PublicKey) -> str:
    """The key id as 16 lower-case hex characters."""
    return key_id_bytes(key).hex()


def generate_device_key() -> Ed25519PrivateKey:
    """A fresh Ed25519 device key."""
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM (unencrypted: the file is protected by its mode and the state directory)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    """SubjectPublicKeyInfo PEM, as published to the intake."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Load an Ed25519 private key PEM file."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise KeyFileError(str(path), f"cannot read ({err.strerror})") from err
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as err:
        raise KeyFileError(str(path), "not an unencrypted PEM private key") from err
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(str(path), "not an Ed25519 key")
    return key


def load_public_key(data: bytes | Path) -> Ed25519PublicKey:
    """Load an Ed25519 public key from PEM bytes or a PEM file."""
    where = str(data) if isinstance(data, Path) else "<pem>"
    try:
        pem = data.read_bytes() if isinstance(data, Path) else data
        key = serialization.load_pem_public_key(pem)
    except (OSError, ValueError) as err:
        raise KeyFileError(where, "not a PEM public key") from err
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(where, "not an Ed25519 key")
    return key


def save_private_key(key: Ed25519PrivateKey, path: Path) -> None:
    """Write the key atomically with mode 0600 (temp file in the same directory + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-", suffix=".tmp")
    try:
        os.fchmod(fd, _PRIVATE_FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(private_key_pem(key))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_or_create_device_key(path: Path) -> Ed25519PrivateKey:
    """Load the device key, creating it on first start."""
    if path.exists():
        return load_private_key(path)
    key = generate_device_key()
    save_private_key(key, path)
    return key
