"""Enrolled kiosk keys whose Ed25519 verify runs in libsodium (PyNaCl) instead of OpenSSL.

Every filing POST checks two Ed25519 signatures of the kiosk (the signed request headers and the
envelope); on the intake's 2-core machine OpenSSL's verify takes ~105 µs, libsodium's ~60 µs —
a tenth of the intake's CPU per filing (measured, bench/intake_post.py). Both are required
checks, so they are made cheaper, not fewer. The key is an ``Ed25519PublicKey``: the shared
envelope and request checks take it unchanged. libsodium refuses every signature OpenSSL
refuses (and, stricter, small-order keys and non-canonical points, which no kiosk produces).
"""

from __future__ import annotations

import copy

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.utils import Buffer
from nacl.bindings import crypto_sign_BYTES, crypto_sign_open
from nacl.exceptions import CryptoError


class SodiumEd25519PublicKey(Ed25519PublicKey):
    """An Ed25519 public key (raw 32 bytes) verified by libsodium; otherwise as OpenSSL's."""

    def __init__(self, raw: bytes) -> None:
        #: OpenSSL's key object: validates the bytes and serves every other operation
        self._key = Ed25519PublicKey.from_public_bytes(raw)
        self._raw = bytes(raw)

    def verify(self, signature: Buffer, data: Buffer) -> None:
        """Raise ``InvalidSignature`` unless ``signature`` is this key's over ``data``."""
        sig = bytes(signature)
        if len(sig) != crypto_sign_BYTES:
            raise InvalidSignature
        try:
            crypto_sign_open(sig + bytes(data), self._raw)
        except (CryptoError, ValueError, TypeError) as err:  # BadSignatureError is a CryptoError
            raise InvalidSignature from err

    def public_bytes(self, encoding: Encoding, format: PublicFormat) -> bytes:
        """As ``Ed25519PublicKey.public_bytes``."""
        if encoding is Encoding.Raw and format is PublicFormat.Raw:
            return self._raw
        return self._key.public_bytes(encoding, format)

    def public_bytes_raw(self) -> bytes:
        """The raw 32 bytes."""
        return self._raw

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SodiumEd25519PublicKey):
            return self._raw == other._raw
        if isinstance(other, Ed25519PublicKey):
            return self._raw == other.public_bytes_raw()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._raw)

    def __copy__(self) -> SodiumEd25519PublicKey:
        return self  # immutable

    def __deepcopy__(self, memo: dict[int, object]) -> SodiumEd25519PublicKey:
        return copy.copy(self)
