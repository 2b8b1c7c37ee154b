"""Integrity of the 基本4情報: EF 0003's digest and signature, anchored in the CV certificate.

EF 0003 (card-protocol.md §5.3): ``FF30 { DF31 SHA-256(EF 0001), DF32 SHA-256(basic-4 fields),
DF33 signature }``. DF33 is RSA PKCS#1 v1.5 / SHA-256 over the two digest TLVs as stored, made
with the key certified by EF 0004; the CV certificate itself is checked against a configured
J-LIS issuer key. DF31 (derived from the My Number) is used only transiently for that signature
check and never kept.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.hardware.card import basic_four, tlv
from kiosk.hardware.card.cv_certificate import CvCertificate, verify_pkcs1_sha256
from kiosk.hardware.card.errors import BadResponseError

TAG_INTEGRITY = 0xFF30
TAG_MY_NUMBER_DIGEST = 0xDF31
TAG_BASIC_FOUR_DIGEST = 0xDF32
TAG_SIGNATURE = 0xDF33
DIGEST_LENGTH = 32


class IntegrityResult(Enum):
    """Outcome of the integrity check of the 基本4情報."""

    VERIFIED = "verified"
    FAILED = "failed"
    UNVERIFIED = "unverified"  # consistent, but no CV-certificate issuer key is configured


@dataclass(frozen=True, slots=True)
class IntegrityRecord:
    """EF 0003: the basic-4 digest, the signed digest block and its signature."""

    basic_four_digest: bytes
    signed_data: bytes
    signature: bytes

    def __repr__(self) -> str:
        return "IntegrityRecord(<digests>)"

    @classmethod
    def parse(cls, data: bytes) -> IntegrityRecord:
        """Parse EF 0003's content (filler after the object is ignored)."""
        outer, _ = tlv.parse_one(data)
        if outer.tag != TAG_INTEGRITY:
            raise BadResponseError(f"EF 0003 starts with tag {outer.tag:X}, expected FF30")
        items = outer.children()
        my_number_digest = tlv.find(items, TAG_MY_NUMBER_DIGEST)
        basic_digest = tlv.find(items, TAG_BASIC_FOUR_DIGEST)
        signature = tlv.find(items, TAG_SIGNATURE)
        for item in (my_number_digest, basic_digest):
            if len(item.value) != DIGEST_LENGTH:
                raise BadResponseError("EF 0003 digest has the wrong length")
        return cls(
            basic_four_digest=basic_digest.value,
            signed_data=my_number_digest.encode() + basic_digest.encode(),
            signature=signature.value,
        )


def check(
    basic_four_file: bytes,
    record: IntegrityRecord,
    certificate: CvCertificate,
    issuer_keys: Sequence[rsa.RSAPublicKey],
) -> IntegrityResult:
    """Digest, then DF33 signature, then the CV certificate against each configured issuer key."""
    if not digest_matches(basic_four_file, record):
        return IntegrityResult.FAILED
    if not verify_pkcs1_sha256(certificate.public_key, record.signature, record.signed_data):
        return IntegrityResult.FAILED
    if not issuer_keys:
        return IntegrityResult.UNVERIFIED
    if any(certificate.is_signed_by(key) for key in issuer_keys):
        return IntegrityResult.VERIFIED
    return IntegrityResult.FAILED


def digest_matches(basic_four_file: bytes, record: IntegrityRecord) -> bool:
    """True when DF32 is the SHA-256 of the 基本4情報 fields read (the first check, no key)."""
    digest = hashlib.sha256(basic_four.digest_input(basic_four_file)).digest()
    return hmac.compare_digest(digest, record.basic_four_digest)
