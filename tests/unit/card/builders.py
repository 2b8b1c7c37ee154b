"""Independent builders of card file contents for unit tests (from card-protocol.md §5–§6)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from kiosk.hardware.card.tlv import encode

FILLER = b"\xff" * 40


def basic_four_object(name: str, address: str, birth: str, sex: str) -> bytes:
    """FF20 { DF21 offsets, DF22..DF25 } with offsets from the first byte of the object."""
    fields = [
        encode(0xDF22, name.encode()),
        encode(0xDF23, address.encode()),
        encode(0xDF24, birth.encode()),
        encode(0xDF25, sex.encode()),
    ]
    table_size = 3 + 8
    body_size = table_size + sum(map(len, fields))
    header = len(encode(0xFF20, bytes(body_size))) - body_size
    offsets, pos = [], header + table_size
    for f in fields:
        offsets.append(pos)
        pos += len(f)
    table = encode(0xDF21, b"".join(o.to_bytes(2, "big") for o in offsets))
    return encode(0xFF20, table + b"".join(fields))


def sign(key: rsa.RSAPrivateKey, data: bytes) -> bytes:
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def integrity_object(basic_obj: bytes, key: rsa.RSAPrivateKey, my_number_file: bytes) -> bytes:
    """FF30 { DF31, DF32, DF33 } per §5.3 (DF32 over DF22..end of FF20)."""
    first_field = int.from_bytes(basic_obj[basic_obj.index(b"\xdf\x21") + 3 :][:2], "big")
    d31 = encode(0xDF31, hashlib.sha256(my_number_file).digest())
    d32 = encode(0xDF32, hashlib.sha256(basic_obj[first_field:]).digest())
    return encode(0xFF30, d31 + d32 + encode(0xDF33, sign(key, d31 + d32)))


def cv_certificate(issuer: rsa.RSAPrivateKey, subject: rsa.RSAPublicKey) -> bytes:
    numbers = subject.public_numbers()
    body = (
        b"6000033\x08\x05001\x00\x00\x00\x00"
        + b"6000033\x08\x05002\x00\x00\x00\x00"
        + encode(0x90, numbers.e.to_bytes(3, "big"))
        + encode(0x91, numbers.n.to_bytes(subject.key_size // 8, "big"))
    )
    return encode(0x7F21, encode(0x5F4E, body) + encode(0x5F37, sign(issuer, body)))


def name(ou: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI-TEST"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
        ]
    )


def certificate(
    subject: x509.Name,
    subject_key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    *,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


@dataclass(frozen=True)
class Keys:
    root: rsa.RSAPrivateKey
    leaf: rsa.RSAPrivateKey
    cv_issuer: rsa.RSAPrivateKey
    ap: rsa.RSAPrivateKey
    other: rsa.RSAPrivateKey


def make_keys() -> Keys:
    return Keys(*(rsa.generate_private_key(65537, 2048) for _ in range(5)))
