"""Builders for the byte contents of the simulated card's files (card-protocol.md §5, §6, §9)."""

from __future__ import annotations

import hashlib
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.hardware.card.sim.ber import tlv
from kiosk.hardware.card.sim.constants import TOKEN_LABEL_MY_NUMBER, TOKEN_LABEL_SIZE, TOKEN_SIZE
from kiosk.hardware.card.sim.identity import Identity

FILLER = 0xFF
PAGE = 256

TAG_MY_NUMBER = b"\xff\x10"
TAG_BASIC4 = b"\xff\x20"
TAG_OFFSETS = b"\xdf\x21"
TAG_NAME = b"\xdf\x22"
TAG_ADDRESS = b"\xdf\x23"
TAG_BIRTH_DATE = b"\xdf\x24"
TAG_SEX = b"\xdf\x25"
TAG_INTEGRITY = b"\xff\x30"
TAG_DIGEST_MY_NUMBER = b"\xdf\x31"
TAG_DIGEST_BASIC4 = b"\xdf\x32"
TAG_INTEGRITY_SIGNATURE = b"\xdf\x33"
TAG_AP_INFO = b"\xff\x40"
TAG_AP_INFO_VERSION = b"\xdf\x41"
TAG_AP_INFO_KEY_ID = b"\xdf\x42"
TAG_AP_INFO_EXTRA = b"\xdf\x43"
TAG_CV_CERT = b"\x7f\x21"
TAG_CV_BODY = b"\x5f\x4e"
TAG_CV_SIGNATURE = b"\x5f\x37"
TAG_RSA_EXPONENT = b"\x90"
TAG_RSA_MODULUS = b"\x91"

INTEGRITY_FILE_SIZE = 336
AP_INFO_VERSION = bytes.fromhex("01030E01")
MY_NUMBER_FILLER = b"\xff\xff"
CERT_AVAILABLE = 0x8F
CERT_ABSENT = 0x00
OFFSET_TABLE_LENGTH = 8


class Corruption(StrEnum):
    """Data faults a test can ask the simulated card to carry."""

    BASIC4_TRUNCATED = "basic4_truncated"  # EF 0002 ends in the middle of the object
    BASIC4_BAD_LENGTH = "basic4_bad_length"  # DF23's length runs past the FF20 container
    BASIC4_BAD_OFFSETS = "basic4_bad_offsets"  # DF21 points at the wrong bytes
    BASIC4_BAD_UTF8 = "basic4_bad_utf8"  # the name is not valid UTF-8
    INTEGRITY_DIGEST = "integrity_digest"  # DF32 does not match EF 0002 (signature still valid)
    INTEGRITY_SIGNATURE = "integrity_signature"  # DF33 does not verify
    CV_SIGNATURE = "cv_signature"  # EF 0004's signature does not verify
    AUTH_CERT_TRUNCATED = "auth_cert_truncated"  # EF 000A shorter than its DER header says


def pad(obj: bytes, *, minimum: int = 0, filler: int = FILLER) -> bytes:
    """Append filler up to the next 256-byte boundary (at least one filler byte)."""
    size = max(minimum, (len(obj) // PAGE + 1) * PAGE)
    return obj + bytes([filler]) * (size - len(obj))


def token_info(label: str = TOKEN_LABEL_MY_NUMBER) -> bytes:
    """JPKI EF 0006: a 160-byte CK_TOKEN_INFO whose first 32 bytes are the space-padded label."""
    head = label.encode("ascii").ljust(TOKEN_LABEL_SIZE, b" ")
    manufacturer = b"J-LIS TEST".ljust(32, b" ")
    model = b"MyNumberCardSim".ljust(16, b" ")
    serial = b"0000000000000001"
    body = head + manufacturer + model + serial
    return body + bytes(TOKEN_SIZE - len(body))


def cert_availability(*, sign: bool, auth: bool = True) -> bytes:
    """JPKI EF 0008: ``8F 8F 00`` when both certificates are present."""
    return bytes(
        [CERT_AVAILABLE if sign else CERT_ABSENT, CERT_AVAILABLE if auth else CERT_ABSENT, 0]
    )


def my_number_file(identity: Identity) -> bytes:
    """Text EF 0001 as stored: ``FF 10 0C`` + 12 ASCII digits + ``FF FF`` (17 bytes)."""
    return tlv(TAG_MY_NUMBER, identity.my_number.encode("ascii")) + MY_NUMBER_FILLER


def basic4_object(identity: Identity, corrupt: Corruption | None = None) -> bytes:
    """The FF20 object of Text EF 0002 (without filler), offsets measured from its first byte."""
    name = identity.name.encode("utf-8")
    if corrupt is Corruption.BASIC4_BAD_UTF8:
        name = name[:1] + b"\xc3\x28" + name[1:]
    fields = [
        tlv(TAG_NAME, name),
        tlv(TAG_ADDRESS, identity.address.encode("utf-8")),
        tlv(TAG_BIRTH_DATE, identity.birth_date.strftime("%Y%m%d").encode("ascii")),
        tlv(TAG_SEX, str(int(identity.sex)).encode("ascii")),
    ]
    table_len = len(TAG_OFFSETS) + 1 + OFFSET_TABLE_LENGTH
    body_len = table_len + sum(len(f) for f in fields)
    header = len(tlv(TAG_BASIC4, bytes(body_len))) - body_len
    offsets = []
    pos = header + table_len
    for f in fields:
        offsets.append(pos)
        pos += len(f)
    if corrupt is Corruption.BASIC4_BAD_OFFSETS:
        offsets[1] += 3
    table = tlv(TAG_OFFSETS, b"".join(o.to_bytes(2, "big") for o in offsets))
    obj = tlv(TAG_BASIC4, table + b"".join(fields))
    if corrupt is Corruption.BASIC4_BAD_LENGTH:
        # DF23's length claims 0x70 more bytes than it has (short or long form alike)
        at = offsets[1] + len(TAG_ADDRESS)
        first = obj[at]
        if first < 0x80 and first + 0x70 < 0x80:
            obj = obj[:at] + bytes([first + 0x70]) + obj[at + 1 :]
        else:
            n = first & 0x7F if first >= 0x80 else 0
            old = int.from_bytes(obj[at + 1 : at + 1 + n], "big") if n else first
            new = tlv(TAG_ADDRESS, bytes(old + 0x70))[len(TAG_ADDRESS) : -(old + 0x70)]
            obj = obj[:at] + new + obj[at + 1 + n :]
    return obj


def basic4_file(identity: Identity, corrupt: Corruption | None = None) -> bytes:
    """Text EF 0002 as stored: the FF20 object followed by filler."""
    obj = basic4_object(identity, corrupt)
    if corrupt is Corruption.BASIC4_TRUNCATED:
        return obj[: len(obj) * 2 // 3]
    return pad(obj)


def basic4_digest_source(basic4_obj: bytes) -> bytes:
    """The bytes DF32 hashes: from the DF22 tag to the end of the FF20 object (§5.3)."""
    first = int.from_bytes(basic4_obj[_offsets_at(basic4_obj) : _offsets_at(basic4_obj) + 2], "big")
    return basic4_obj[first:]


def _offsets_at(basic4_obj: bytes) -> int:
    at = basic4_obj.index(TAG_OFFSETS)
    return at + len(TAG_OFFSETS) + 1


def integrity_file(
    my_number_ef: bytes,
    basic4_obj: bytes,
    ap_key: rsa.RSAPrivateKey,
    corrupt: Corruption | None = None,
) -> bytes:
    """Text EF 0003: SHA-256 of EF 0001, SHA-256 of the basic-4 fields, RSA signature (§5.3)."""
    from kiosk.hardware.card.sim.pki import sign_pkcs1_sha256

    d31 = hashlib.sha256(my_number_ef).digest()
    d32 = hashlib.sha256(basic4_digest_source(basic4_obj)).digest()
    if corrupt is Corruption.INTEGRITY_DIGEST:
        d32 = bytes([d32[0] ^ 0x01]) + d32[1:]
    block = tlv(TAG_DIGEST_MY_NUMBER, d31) + tlv(TAG_DIGEST_BASIC4, d32)
    signature = sign_pkcs1_sha256(ap_key, block)
    if corrupt is Corruption.INTEGRITY_SIGNATURE:
        signature = signature[:-1] + bytes([signature[-1] ^ 0x01])
    obj = tlv(TAG_INTEGRITY, block + tlv(TAG_INTEGRITY_SIGNATURE, signature))
    return obj + bytes([FILLER]) * (INTEGRITY_FILE_SIZE - len(obj))


def rsa_public_key_fields(key: rsa.RSAPublicKey) -> bytes:
    """``90 03 01 00 01  91 82 01 00 <modulus>`` as inside a CV certificate body."""
    numbers = key.public_numbers()
    exponent = numbers.e.to_bytes(3, "big")
    modulus = numbers.n.to_bytes(key.key_size // 8, "big")
    return tlv(TAG_RSA_EXPONENT, exponent) + tlv(TAG_RSA_MODULUS, modulus)


def cv_certificate(
    issuer_key: rsa.RSAPrivateKey,
    issuer_key_id: bytes,
    subject_key_id: bytes,
    subject_key: rsa.RSAPublicKey,
    corrupt: Corruption | None = None,
) -> bytes:
    """Text EF 0004: ``7F21 { 5F4E body, 5F37 signature }`` (568 bytes for RSA-2048, §5.4)."""
    from kiosk.hardware.card.sim.pki import sign_pkcs1_sha256

    body = issuer_key_id + subject_key_id + rsa_public_key_fields(subject_key)
    signature = sign_pkcs1_sha256(issuer_key, body)
    if corrupt is Corruption.CV_SIGNATURE:
        signature = bytes([signature[0] ^ 0x80]) + signature[1:]
    return tlv(TAG_CV_CERT, tlv(TAG_CV_BODY, body) + tlv(TAG_CV_SIGNATURE, signature))


def ap_basic_info(key_id: bytes) -> bytes:
    """Text EF 0005: ``FF40 { DF41 version, DF42 key id, DF43 128 bytes }`` padded to 256 bytes."""
    extra = bytes(range(32)) + b"\xff" * 96
    obj = tlv(
        TAG_AP_INFO,
        tlv(TAG_AP_INFO_VERSION, AP_INFO_VERSION)
        + tlv(TAG_AP_INFO_KEY_ID, key_id)
        + tlv(TAG_AP_INFO_EXTRA, extra),
    )
    return obj + bytes([FILLER]) * (PAGE - len(obj))


def common_record(identity: Identity) -> bytes:
    """Common AP record 1: tag 01, 28 digits = 15-digit serial + municipality + expiry."""
    serial = f"4{int(identity.my_number) % 10**14:014d}"
    payload = f"{serial}{identity.municipality_code}{identity.card_expiry:%Y%m%d}".encode()
    return bytes([0x01, len(payload)]) + payload
