"""The largest card the simulator's format allows, for APDU budgets and benchmarks.

Name and address fill EF 0002's FF20 object to exactly ``BASIC4_MAX_OBJECT_BYTES`` (82-form
lengths for the object and the address, 4-byte UTF-8 characters in the name), and the
user-authentication certificate is re-issued by the test root padded to ``WORST_CERT_BYTES``.
"""

from __future__ import annotations

import dataclasses

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from kiosk.hardware.card.sim import constants as c
from kiosk.hardware.card.sim.card import SimulatedCard
from kiosk.hardware.card.sim.files import basic4_object, pad
from kiosk.hardware.card.sim.filesystem import BinaryFile
from kiosk.hardware.card.sim.identity import BASIC4_MAX_OBJECT_BYTES, Identity, example_path
from kiosk.hardware.card.sim.pki import TestPki

WORST_CERT_BYTES = 1024
WORST_CASE_ID = "worst_case"
#: a private OID for the padding extension of the worst-case certificate (never on real cards)
PADDING_EXTENSION = x509.ObjectIdentifier("1.3.6.1.4.1.55555.14.1")
NAME = "髙橋\u3000" + "𠮷" * 24  # 4-byte UTF-8 characters
ADDRESS_HEAD = "北海道札幌市中央区北一条西二丁目１番地１号　"
WIDE_FILL = "長"  # 3 bytes in UTF-8
NARROW_FILL = "1"


def worst_case_identity() -> Identity:
    """takahashi's card data with the longest name and address EF 0002 can hold."""
    base = dataclasses.replace(
        Identity.load(example_path("takahashi")), card_id=WORST_CASE_ID, name=NAME
    )
    address = ADDRESS_HEAD
    while True:
        size = len(basic4_object(dataclasses.replace(base, address=address)))
        missing = BASIC4_MAX_OBJECT_BYTES - size
        if missing <= 0:
            break
        address += WIDE_FILL if missing >= len(WIDE_FILL.encode()) + 2 else NARROW_FILL
    identity = dataclasses.replace(base, address=address)
    identity.validate()
    return identity


def padded_certificate(der: bytes, pki: TestPki, size: int = WORST_CERT_BYTES) -> bytes:
    """``der`` re-issued by the test auth root with a padding extension, exactly ``size`` bytes."""
    original = x509.load_der_x509_certificate(der)
    padding = 0
    for _ in range(8):
        builder = (
            x509.CertificateBuilder()
            .subject_name(original.subject)
            .issuer_name(original.issuer)
            .public_key(original.public_key())
            .serial_number(original.serial_number)
            .not_valid_before(original.not_valid_before_utc)
            .not_valid_after(original.not_valid_after_utc)
        )
        for extension in original.extensions:
            builder = builder.add_extension(extension.value, extension.critical)
        value = b"\x04\x82" + padding.to_bytes(2, "big") + bytes(padding)  # an OCTET STRING
        builder = builder.add_extension(
            x509.UnrecognizedExtension(PADDING_EXTENSION, value), critical=False
        )
        out = builder.sign(pki.auth_root_key, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER
        )
        if len(out) == size:
            return out
        padding += size - len(out)
    raise ValueError(f"could not pad the certificate to {size} bytes")


def worst_case_card(pki: TestPki | None = None, **options: object) -> SimulatedCard:
    """A simulated card with the worst-case 基本4情報 and a 1 kB auth certificate."""
    card = SimulatedCard(worst_case_identity(), pki, **options)  # type: ignore[arg-type]
    jpki = card.apps[c.App.JPKI]
    original = card.pki.card(card.identity).auth_cert_der
    jpki.files[c.EF_JPKI_AUTH_CERT] = BinaryFile(
        c.EF_JPKI_AUTH_CERT, pad(padded_certificate(original, card.pki))
    )
    return card
