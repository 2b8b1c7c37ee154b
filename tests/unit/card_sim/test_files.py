"""券面事項入力補助AP file layouts: §10.1 vector, long lengths, integrity, CV certificate."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.hardware.card.sim import TestPki
from kiosk.hardware.card.sim import files as f
from kiosk.hardware.card.sim.files import Corruption
from kiosk.hardware.card.sim.identity import EXAMPLES_DIR, Identity

from .apdus import tlv_end

VECTOR_MY_NUMBER = bytes.fromhex("FF100C353337363836363737313838FFFF")


def _vector_identity() -> Identity:
    raw = json.loads((EXAMPLES_DIR / "yamada.json").read_text())
    raw.update(
        name="黒桐　幹也",
        address="東京都清瀬市観布子南１２－７－２０２",
        birth_date="1980-02-17",
        sex=1,
        my_number="537686677188",
    )
    return Identity.from_dict(raw, default_id="kokutou")


def test_basic4_object_is_byte_identical_to_the_test_card_vector() -> None:
    expected = bytes.fromhex(
        "FF2065"
        "DF2108000E002000590064"
        "DF220FE9BB92E6A190E38080E5B9B9E4B99F"
        "DF2336E69DB1E4BAACE983BDE6B885E780ACE5B882E8A6B3E5B883"
        "E5AD90E58D97EFBC91EFBC92EFBC8DEFBC97EFBC8DEFBC92EFBC90EFBC92"
        "DF24083139383030323137"
        "DF250131"
    )
    obj = f.basic4_object(_vector_identity())
    assert obj == expected
    assert len(obj) == 104
    assert hashlib.sha256(f.basic4_digest_source(obj)).hexdigest() == (
        "b9e0d09427b23b1d4beda2848512b4103752dc2667e51f9712872d65f472cb3b"
    )


def test_my_number_file_matches_the_vector_including_filler() -> None:
    ef = f.my_number_file(_vector_identity())
    assert ef == VECTOR_MY_NUMBER
    assert hashlib.sha256(ef).hexdigest() == (
        "6d5a4c1ef9ab15bf506862d7e66b9c0f179ca065bc936c8e634e9e57449ca9cd"
    )


def _fields(obj: bytes) -> dict[bytes, bytes]:
    """Walk DF21..DF25 inside an FF20 object using the offset table."""
    table = obj.index(b"\xdf\x21") + 3
    offsets = [int.from_bytes(obj[table + i : table + i + 2], "big") for i in range(0, 8, 2)]
    out = {}
    for off in offsets:
        length_byte = obj[off + 2]
        n = length_byte & 0x7F if length_byte >= 0x80 else 0
        out[obj[off : off + 2]] = obj[off + 3 + n : off + tlv_end(obj[off:])]
    return out


@pytest.mark.parametrize(
    ("name", "outer", "long_field"),
    [("takahashi", b"\xff\x20\x82", b"\xdf\x23\x82"), ("smith", b"\xff\x20\x82", b"\xdf\x22\x81")],
)
def test_long_fields_use_long_form_lengths(name: str, outer: bytes, long_field: bytes) -> None:
    identity = Identity.load(EXAMPLES_DIR / f"{name}.json")
    obj = f.basic4_object(identity)
    assert obj.startswith(outer)
    assert long_field in obj
    assert tlv_end(obj) == len(obj)
    fields = _fields(obj)
    assert fields[b"\xdf\x22"].decode() == identity.name
    assert fields[b"\xdf\x23"].decode() == identity.address
    assert fields[b"\xdf\x24"] == identity.birth_date.strftime("%Y%m%d").encode()
    assert fields[b"\xdf\x25"] == str(int(identity.sex)).encode()


def test_non_bmp_name_is_stored_as_four_byte_utf8() -> None:
    obj = f.basic4_object(Identity.load(EXAMPLES_DIR / "takahashi.json"))
    assert "𠮷".encode() in obj
    assert len("𠮷".encode()) == 4


def test_basic4_file_has_filler_after_the_object() -> None:
    identity = Identity.load(EXAMPLES_DIR / "yamada.json")
    ef = f.basic4_file(identity)
    obj = f.basic4_object(identity)
    assert ef.startswith(obj)
    assert len(ef) > len(obj)
    assert set(ef[len(obj) :]) == {0xFF}
    assert len(ef) % 256 == 0


def _integrity_parts(ef3: bytes) -> tuple[bytes, bytes, bytes]:
    assert ef3[:2] == b"\xff\x30"
    d31 = ef3[ef3.index(b"\xdf\x31\x20") + 3 :][:32]
    d32 = ef3[ef3.index(b"\xdf\x32\x20") + 3 :][:32]
    sig = ef3[ef3.index(b"\xdf\x33\x82\x01\x00") + 5 :][:256]
    return d31, d32, sig


def _cv_key(ef4: bytes) -> tuple[bytes, bytes, bytes, rsa.RSAPublicKey]:
    assert ef4[:5] == b"\x7f\x21\x82\x02\x33" and len(ef4) == 568
    body = ef4[5 + 5 : 5 + 5 + 297]
    signature = ef4[-256:]
    modulus = body[32 + 5 + 4 :]
    key = rsa.RSAPublicNumbers(int.from_bytes(body[34:37], "big"), int.from_bytes(modulus, "big"))
    return body, signature, body[:16], key.public_key()


def test_integrity_record_is_consistent_and_signed_by_the_cv_certified_key(
    test_pki: TestPki,
) -> None:
    identity = Identity.load(EXAMPLES_DIR / "yamada.json")
    creds = test_pki.card(identity)
    ef1 = f.my_number_file(identity)
    obj = f.basic4_object(identity)
    ef3 = f.integrity_file(ef1, obj, creds.text_ap_key)
    ef4 = f.cv_certificate(
        test_pki.cv_issuer_key,
        test_pki.cv_issuer_key_id,
        creds.text_ap_key_id,
        creds.text_ap_key.public_key(),
    )
    assert len(ef3) == 336
    d31, d32, sig = _integrity_parts(ef3)
    assert d31 == hashlib.sha256(ef1).digest()
    assert d32 == hashlib.sha256(obj[obj.index(b"\xdf\x22") :]).digest()
    body, cv_sig, issuer_id, ap_key = _cv_key(ef4)
    assert issuer_id == test_pki.cv_issuer_key_id
    test_pki.cv_issuer_key.public_key().verify(cv_sig, body, padding.PKCS1v15(), hashes.SHA256())
    block = b"\xdf\x31\x20" + d31 + b"\xdf\x32\x20" + d32
    ap_key.verify(sig, block, padding.PKCS1v15(), hashes.SHA256())


def test_corruptions_break_exactly_what_they_name(test_pki: TestPki) -> None:
    identity = Identity.load(EXAMPLES_DIR / "yamada.json")
    creds = test_pki.card(identity)
    ef1, obj = f.my_number_file(identity), f.basic4_object(identity)
    bad_digest = f.integrity_file(ef1, obj, creds.text_ap_key, Corruption.INTEGRITY_DIGEST)
    d31, d32, sig = _integrity_parts(bad_digest)
    assert d32 != hashlib.sha256(f.basic4_digest_source(obj)).digest()
    creds.text_ap_key.public_key().verify(
        sig, b"\xdf\x31\x20" + d31 + b"\xdf\x32\x20" + d32, padding.PKCS1v15(), hashes.SHA256()
    )
    bad_sig = f.integrity_file(ef1, obj, creds.text_ap_key, Corruption.INTEGRITY_SIGNATURE)
    d31, d32, sig = _integrity_parts(bad_sig)
    with pytest.raises(InvalidSignature):
        creds.text_ap_key.public_key().verify(
            sig, b"\xdf\x31\x20" + d31 + b"\xdf\x32\x20" + d32, padding.PKCS1v15(), hashes.SHA256()
        )
    ef4 = f.cv_certificate(
        test_pki.cv_issuer_key,
        test_pki.cv_issuer_key_id,
        creds.text_ap_key_id,
        creds.text_ap_key.public_key(),
        Corruption.CV_SIGNATURE,
    )
    body, cv_sig, _, _ = _cv_key(ef4)
    with pytest.raises(InvalidSignature):
        test_pki.cv_issuer_key.public_key().verify(
            cv_sig, body, padding.PKCS1v15(), hashes.SHA256()
        )
    truncated = f.basic4_file(identity, Corruption.BASIC4_TRUNCATED)
    assert len(truncated) < tlv_end(truncated)
    bad_len = f.basic4_object(identity, Corruption.BASIC4_BAD_LENGTH)
    table = bad_len.index(b"\xdf\x21") + 3
    df23 = int.from_bytes(bad_len[table + 2 : table + 4], "big")
    assert bad_len[df23 : df23 + 2] == b"\xdf\x23"
    assert df23 + tlv_end(bad_len[df23:]) > tlv_end(bad_len)
    with pytest.raises(UnicodeDecodeError):
        _fields(f.basic4_object(identity, Corruption.BASIC4_BAD_UTF8))[b"\xdf\x22"].decode()


def test_token_info_is_160_bytes_space_padded() -> None:
    token = f.token_info()
    assert len(token) == 160
    assert token[:32] == b"JPKIAPICCTOKEN2" + b" " * 17
