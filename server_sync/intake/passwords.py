"""Staff password hashing with the standard library's scrypt (no extra dependency)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
_MAXMEM = 64 * 1024 * 1024
MAX_PASSWORD_CHARS = 256
MIN_PASSWORD_CHARS = 12


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=_MAXMEM
    )


def hash_password(password: str) -> str:
    """Hash a password as ``scrypt$N$r$p$salt$hash`` (base64 fields)."""
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise ValueError(
            f"password must have {MIN_PASSWORD_CHARS}..{MAX_PASSWORD_CHARS} characters"
        )
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash; malformed hashes never match."""
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    fields = stored.split("$")
    if len(fields) != 6 or fields[0] != SCHEME:
        return False
    try:
        n, r, p = int(fields[1]), int(fields[2]), int(fields[3])
        salt = base64.b64decode(fields[4], validate=True)
        expected = base64.b64decode(fields[5], validate=True)
    except ValueError:
        return False
    if n > 2**20 or r > 32 or p > 16 or n < 2 or n & (n - 1):
        return False
    return hmac.compare_digest(_derive(password, salt, n, r, p), expected)


def generate_password() -> str:
    """A random initial password (URL-safe, 20 characters)."""
    return secrets.token_urlsafe(15)


# A hash of a random secret, verified on unknown usernames so a wrong name costs the same time.
DUMMY_HASH = (
    "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)
