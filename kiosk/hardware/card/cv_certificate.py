"""Card-verifiable (CV) certificate of the 券面事項入力補助AP's data-signing key (EF 0004).

Layout (card-protocol.md §5.4): ``7F21 { 5F4E body, 5F37 signature }`` where the body is
``issuer key id (16) ‖ subject key id (16) ‖ 90 <exponent> 91 <modulus>`` and the signature is
RSA PKCS#1 v1.5 with SHA-256 over the body bytes, made with the CV-certificate issuer's key.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.hardware.card import tlv
from kiosk.hardware.card.errors import BadResponseError

TAG_CV_CERTIFICATE = 0x7F21
TAG_BODY = 0x5F4E
TAG_SIGNATURE = 0x5F37
TAG_EXPONENT = 0x90
TAG_MODULUS = 0x91
KEY_ID_LENGTH = 16
MIN_MODULUS_BITS = 1024


@dataclass(frozen=True, slots=True)
class CvCertificate:
    """A parsed CV certificate: key ids, the certified RSA key, and the issuer's signature."""

    issuer_key_id: bytes
    subject_key_id: bytes
    public_key: rsa.RSAPublicKey
    body: bytes
    signature: bytes

    @classmethod
    def parse(cls, data: bytes) -> CvCertificate:
        """Parse EF 0004's content (filler after the object is ignored)."""
        outer, _ = tlv.parse_one(data)
        if outer.tag != TAG_CV_CERTIFICATE:
            raise BadResponseError(f"EF 0004 starts with tag {outer.tag:X}, expected 7F21")
        items = outer.children()
        body = tlv.find(items, TAG_BODY).value
        signature = tlv.find(items, TAG_SIGNATURE).value
        if len(body) <= 2 * KEY_ID_LENGTH:
            raise BadResponseError("CV certificate body is too short")
        key_items = tlv.parse_all(body[2 * KEY_ID_LENGTH :])
        exponent = int.from_bytes(tlv.find(key_items, TAG_EXPONENT).value, "big")
        modulus = int.from_bytes(tlv.find(key_items, TAG_MODULUS).value, "big")
        if modulus.bit_length() < MIN_MODULUS_BITS or exponent < 3 or exponent % 2 == 0:
            raise BadResponseError("CV certificate carries an implausible RSA key")
        try:
            public_key = rsa.RSAPublicNumbers(exponent, modulus).public_key()
        except ValueError:
            raise BadResponseError("CV certificate carries an invalid RSA key") from None
        return cls(
            issuer_key_id=body[:KEY_ID_LENGTH],
            subject_key_id=body[KEY_ID_LENGTH : 2 * KEY_ID_LENGTH],
            public_key=public_key,
            body=body,
            signature=signature,
        )

    def is_signed_by(self, issuer_key: rsa.RSAPublicKey) -> bool:
        """True when ``issuer_key`` verifies this certificate's signature over its body."""
        return verify_pkcs1_sha256(issuer_key, self.signature, self.body)


def verify_pkcs1_sha256(key: rsa.RSAPublicKey, signature: bytes, message: bytes) -> bool:
    """RSA PKCS#1 v1.5 / SHA-256 verification as a boolean."""
    try:
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True
