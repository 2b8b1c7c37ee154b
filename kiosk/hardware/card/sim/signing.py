"""The RSA operations behind the simulated card's COMPUTE SIGNATURE (80 2A)."""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from kiosk.hardware.card.sim import constants as c

HASH_LEN = 32


def _pkcs1_type1(data: bytes, k: int) -> bytes:
    return b"\x00\x01" + b"\xff" * (k - len(data) - 3) + b"\x00" + data


def _raw_rsa(key: rsa.RSAPrivateKey, block: bytes) -> bytes:
    numbers = key.private_numbers()
    m = int.from_bytes(block, "big")
    # CRT for speed
    s1 = pow(m, numbers.dmp1, numbers.p)
    s2 = pow(m, numbers.dmq1, numbers.q)
    h = (numbers.iqmp * (s1 - s2)) % numbers.p
    s = s2 + h * numbers.q
    return s.to_bytes(key.key_size // 8, "big")


def compute_signature(key: rsa.RSAPrivateKey, scheme: int, data: bytes) -> bytes | int:
    """80 2A with scheme P1 (card-protocol.md §6.4): the signature, or a status word."""
    k = key.key_size // 8
    if scheme == 0x00:  # data is a DigestInfo: PKCS#1 v1.5 type-1 pad + RSA
        return _raw_rsa(key, _pkcs1_type1(data, k))
    if scheme == 0x01:  # hash, then pad the bare hash
        return _raw_rsa(key, _pkcs1_type1(hashlib.sha256(data).digest(), k))
    if scheme in (0x02, 0x04) and len(data) != HASH_LEN:
        return c.SW_WRONG_LENGTH
    if scheme == 0x02:
        return key.sign(data, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    if scheme == 0x03:
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=HASH_LEN)
    if scheme == 0x04:
        return key.sign(data, pss, utils.Prehashed(hashes.SHA256()))
    if scheme == 0x05:
        return key.sign(data, pss, hashes.SHA256())
    return c.SW_INCORRECT_P1P2
