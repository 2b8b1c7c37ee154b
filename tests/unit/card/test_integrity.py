from __future__ import annotations

import pytest

from kiosk.hardware.card import integrity
from kiosk.hardware.card.cv_certificate import CvCertificate
from kiosk.hardware.card.errors import BadResponseError
from kiosk.hardware.card.integrity import IntegrityRecord, IntegrityResult
from kiosk.hardware.card.tlv import encode
from tests.unit.card import builders

MY_NUMBER_FILE = bytes.fromhex("FF100C353337363836363737313838FFFF")


@pytest.fixture(scope="module")
def files(keys: builders.Keys) -> tuple[bytes, bytes, bytes]:
    basic = builders.basic_four_object(
        "山田\u3000太郎", "東京都新宿区西新宿二丁目８番１号", "19800217", "1"
    )
    record = builders.integrity_object(basic, keys.ap, MY_NUMBER_FILE)
    cvc = builders.cv_certificate(keys.cv_issuer, keys.ap.public_key())
    return basic + b"\xff" * 10, record + b"\xff", cvc + b"\xff" * 5


def run(files: tuple[bytes, bytes, bytes], issuer_keys: list[object]) -> IntegrityResult:
    basic, record, cvc = files
    return integrity.check(
        basic,
        IntegrityRecord.parse(record),
        CvCertificate.parse(cvc),
        issuer_keys,  # type: ignore[arg-type]
    )


def test_verified_with_the_right_issuer_key(
    keys: builders.Keys, files: tuple[bytes, bytes, bytes]
) -> None:
    assert (
        run(files, [keys.other.public_key(), keys.cv_issuer.public_key()])
        is IntegrityResult.VERIFIED
    )


def test_unverified_without_issuer_keys(files: tuple[bytes, bytes, bytes]) -> None:
    assert run(files, []) is IntegrityResult.UNVERIFIED


def test_failed_with_only_a_foreign_issuer_key(
    keys: builders.Keys, files: tuple[bytes, bytes, bytes]
) -> None:
    assert run(files, [keys.other.public_key()]) is IntegrityResult.FAILED


def test_failed_when_the_basic_four_data_changed(
    keys: builders.Keys, files: tuple[bytes, bytes, bytes]
) -> None:
    basic, record, cvc = files
    forged = basic.replace("太郎".encode(), "次郎".encode())
    assert run((forged, record, cvc), [keys.cv_issuer.public_key()]) is IntegrityResult.FAILED
    assert run((forged, record, cvc), []) is IntegrityResult.FAILED


def test_failed_when_the_record_is_signed_by_another_key(
    keys: builders.Keys, files: tuple[bytes, bytes, bytes]
) -> None:
    basic, _, cvc = files
    record = builders.integrity_object(basic.rstrip(b"\xff"), keys.other, MY_NUMBER_FILE)
    assert run((basic, record, cvc), [keys.cv_issuer.public_key()]) is IntegrityResult.FAILED


def test_cv_certificate_fields(keys: builders.Keys, files: tuple[bytes, bytes, bytes]) -> None:
    cvc = CvCertificate.parse(files[2])
    assert cvc.issuer_key_id[:7] == b"6000033"
    assert cvc.public_key.public_numbers() == keys.ap.public_key().public_numbers()
    assert cvc.is_signed_by(keys.cv_issuer.public_key())
    assert not cvc.is_signed_by(keys.other.public_key())


def test_record_repr_does_not_show_digests(files: tuple[bytes, bytes, bytes]) -> None:
    record = IntegrityRecord.parse(files[1])
    assert record.basic_four_digest.hex() not in repr(record)


@pytest.mark.parametrize(
    "raw",
    [
        encode(0xFF30, encode(0xDF31, bytes(32)) + encode(0xDF33, bytes(256))),  # DF32 missing
        encode(
            0xFF30, encode(0xDF31, bytes(31)) + encode(0xDF32, bytes(32)) + encode(0xDF33, b"x")
        ),
        encode(0xFF31, b""),
    ],
)
def test_malformed_integrity_records(raw: bytes) -> None:
    with pytest.raises(BadResponseError):
        IntegrityRecord.parse(raw)


@pytest.mark.parametrize(
    "raw",
    [
        encode(0x7F21, encode(0x5F4E, bytes(40))),  # no signature
        encode(
            0x7F21,
            encode(0x5F4E, bytes(32) + encode(0x90, b"\x01\x00\x01") + encode(0x91, b"\x05"))
            + encode(0x5F37, bytes(256)),
        ),  # toy modulus
        encode(0x7F22, b""),
    ],
)
def test_malformed_cv_certificates(raw: bytes) -> None:
    with pytest.raises(BadResponseError):
        CvCertificate.parse(raw)
