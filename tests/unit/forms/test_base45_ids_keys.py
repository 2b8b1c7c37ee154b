"""Base45 (RFC 9285 vectors), UUIDv7 ids and the device-key helper."""

from __future__ import annotations

import stat
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.forms.base45 import ALPHABET, Base45Error, b45decode, b45encode, encoded_length
from kiosk.forms.errors import KeyFileError
from kiosk.forms.ids import is_uuid7, new_filing_id, uuid7, uuid7_unix_ms
from kiosk.forms.keys import (
    generate_device_key,
    key_id,
    load_or_create_device_key,
    load_private_key,
    load_public_key,
    public_key_pem,
    raw_public_key,
)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_rfc9285_vectors(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@given(st.binary(max_size=600))
def test_base45_round_trip_uses_only_qr_alphanumeric(data: bytes) -> None:
    text = b45encode(data)
    assert set(text) <= set(ALPHABET)
    assert len(text) == encoded_length(len(data))
    assert b45decode(text) == data


@pytest.mark.parametrize("text", ["GGW", "A", "abc", "ZZZZ", "::"])
def test_base45_rejects_invalid_text(text: str) -> None:
    with pytest.raises(Base45Error):
        b45decode(text)


def test_uuid7_layout_and_time() -> None:
    u = uuid7(1_700_000_000_123)
    assert u.version == 7
    assert u.variant == uuid.RFC_4122
    assert uuid7_unix_ms(u) == 1_700_000_000_123
    ids = [new_filing_id() for _ in range(200)]
    assert len(set(ids)) == 200
    assert all(is_uuid7(i) for i in ids)
    assert not is_uuid7(str(uuid.uuid4()))
    assert not is_uuid7(ids[0].upper())


def test_uuid7_is_time_ordered() -> None:
    a, b = uuid7(1000), uuid7(1001)
    assert str(a) < str(b)


def test_device_key_created_once_with_private_mode(tmp_path: Path) -> None:
    path = tmp_path / "state" / "device_key.pem"
    key = load_or_create_device_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_device_key(path)
    assert raw_public_key(again.public_key()) == raw_public_key(key.public_key())
    kid = key_id(key.public_key())
    assert len(kid) == 16 and int(kid, 16) >= 0
    pub = load_public_key(public_key_pem(key.public_key()))
    assert key_id(pub) == kid


def test_bad_key_files_raise_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError):
        load_private_key(tmp_path / "missing.pem")
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key")
    with pytest.raises(KeyFileError):
        load_private_key(junk)
    with pytest.raises(KeyFileError):
        load_public_key(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    assert generate_device_key() is not None
