"""The signed barcode payload: round trips, splitting, tampering, privacy and QR fit."""

from __future__ import annotations

import contextlib
import io
import random
import re
import zlib
from datetime import UTC, datetime
from pathlib import Path

import cbor2
import pytest
import segno
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from kiosk.forms.base45 import ALPHABET
from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import PayloadError
from kiosk.forms.keys import key_id
from kiosk.forms.model import Filing
from kiosk.forms.payload import (
    MAX_PART_CHARS_512,
    MAX_PART_CHARS_576,
    SIGNATURE_BYTES,
    ZDICT_V1,
    PartCollector,
    SignatureStatus,
    decode_binary,
    decode_payload,
    encode_binary,
    encode_payload,
    parse_part,
    split_binary,
)

from .conftest import EXAMPLES
from .strategies import filings

KIOSK = "shinjuku-k01"
PRINTED = datetime(2026, 11, 27, 9, 0, 0, tzinfo=UTC)
QR_CHARSET = set(ALPHABET)


def _example(name: str) -> Filing:
    return filing_from_json((EXAMPLES[0].parent / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_round_trips_with_a_valid_signature(
    path: Path, device_key: Ed25519PrivateKey
) -> None:
    filing = filing_from_json(path.read_text(encoding="utf-8"))
    parts = encode_payload(filing, kiosk_id=KIOSK, private_key=device_key, printed_at=PRINTED)
    assert len(parts) == 1  # every example fits one code at the default size
    assert all(set(p) <= QR_CHARSET for p in parts)
    decoded = decode_payload(parts, trusted_keys=[device_key.public_key()])
    assert decoded.filing == filing
    assert decoded.signature is SignatureStatus.VALID
    assert decoded.kiosk_id == KIOSK
    assert decoded.filing_id == filing.id
    assert decoded.created_at == filing.created_at
    assert decoded.printed_at == PRINTED
    assert decoded.key_id == key_id(device_key.public_key())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filings(max_members=12), st.integers(min_value=120, max_value=3000), st.randoms())
def test_any_filing_survives_splitting_in_any_order(
    filing: Filing, max_chars: int, rnd: random.Random
) -> None:
    key = Ed25519PrivateKey.generate()
    parts = encode_payload(filing, kiosk_id=KIOSK, private_key=key, max_part_chars=max_chars)
    assert all(len(p) <= max_chars for p in parts)
    assert all(set(p) <= QR_CHARSET for p in parts)
    shuffled = parts + rnd.sample(parts, k=min(2, len(parts)))  # with duplicates
    rnd.shuffle(shuffled)
    decoded = decode_payload(shuffled, trusted_keys=[key.public_key()])
    assert decoded.filing == filing
    assert decoded.signature is SignatureStatus.VALID


def test_large_household_is_split_and_collected_part_by_part(
    device_key: Ed25519PrivateKey,
) -> None:
    filing = _example("move_in_6_members")
    parts = encode_payload(filing, kiosk_id=KIOSK, private_key=device_key, max_part_chars=300)
    assert len(parts) >= 3
    assert [parse_part(p).index for p in parts] == list(range(1, len(parts) + 1))
    collector = PartCollector()
    assert collector.missing() == [] and collector.total is None
    order = list(reversed(parts))
    assert collector.add(order[0]) is True
    assert collector.total == len(parts)
    assert collector.missing() == list(range(1, len(parts)))
    assert collector.add(order[0]) is False  # duplicate ignored
    with pytest.raises(PayloadError) as info:
        collector.binary()
    assert info.value.reason == "incomplete"
    for part in order[1:]:
        collector.add(part)
    assert collector.complete and collector.missing() == []
    decoded = decode_binary(collector.binary(), trusted_keys=[device_key.public_key()])
    assert decoded.filing == filing


def test_parts_of_another_filing_are_refused(device_key: Ed25519PrivateKey) -> None:
    a = encode_payload(
        _example("move_out"), kiosk_id=KIOSK, private_key=device_key, max_part_chars=300
    )
    b = encode_payload(
        _example("move_within_3_persons"),
        kiosk_id=KIOSK,
        private_key=device_key,
        max_part_chars=300,
    )
    collector = PartCollector()
    collector.add(a[0])
    with pytest.raises(PayloadError) as info:
        collector.add(b[1])
    assert info.value.reason == "other_filing"


def test_signature_status_without_and_with_other_keys(device_key: Ed25519PrivateKey) -> None:
    parts = encode_payload(_example("move_out"), kiosk_id=KIOSK, private_key=device_key)
    assert decode_payload(parts).signature is SignatureStatus.UNCHECKED
    other = Ed25519PrivateKey.generate().public_key()
    assert decode_payload(parts, trusted_keys=[other]).signature is SignatureStatus.UNKNOWN_KEY


def test_tampering_any_byte_is_detected(device_key: Ed25519PrivateKey) -> None:
    binary = encode_binary(
        _example("move_within_gaiji_names"), kiosk_id=KIOSK, private_key=device_key
    )
    trusted = [device_key.public_key()]
    outcomes: dict[str, int] = {}
    for i in range(len(binary)):
        for flip in (0x01, 0x80):
            bad = bytearray(binary)
            bad[i] ^= flip
            try:
                status = decode_binary(bytes(bad), trusted_keys=trusted).signature
                outcome = status.value
            except PayloadError as err:
                outcome = f"error:{err.reason}"
            assert outcome != SignatureStatus.VALID.value, f"byte {i} flip {flip:#x} accepted"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("invalid", 0) > 0


def test_a_mistyped_part_fails_its_checksum(device_key: Ed25519PrivateKey) -> None:
    (part,) = encode_payload(_example("move_out"), kiosk_id=KIOSK, private_key=device_key)
    pos = len(part) // 2
    swapped = part[:pos] + ("A" if part[pos] != "A" else "B") + part[pos + 1 :]
    with pytest.raises(PayloadError) as info:
        decode_payload([swapped])
    assert info.value.reason == "part_checksum"
    with pytest.raises(PayloadError) as info:
        decode_payload([part[:-20]])
    assert info.value.reason in {"not_a_part", "part_checksum"}
    # Scanners add a newline or spaces around the text: tolerated.
    assert decode_payload([f"  {part}\r\n"]).filing.id == _example("move_out").id


@pytest.mark.parametrize(
    "garbage",
    ["", "hello", "JK1:00000000:1/1::00000000", "JK1:0000:1/1:AB:00000000", "JK2:x", "\x00" * 9],
)
def test_garbage_is_a_payload_error_not_a_crash(garbage: str) -> None:
    with pytest.raises(PayloadError):
        decode_payload([garbage])


@pytest.mark.parametrize(
    "binary",
    [
        b"",
        b"\x01" + b"\x00" * 80,
        b"\x02" + b"\x00" * 80,
        b"\x01" + b"\x00" * 8 + b"\xff\xff\xff" + b"\x00" * SIGNATURE_BYTES,
    ],
)
def test_undecodable_binaries_raise_payload_errors(binary: bytes) -> None:
    with pytest.raises(PayloadError):
        decode_binary(binary, trusted_keys=None)


def test_decompression_bomb_is_refused() -> None:
    key = Ed25519PrivateKey.generate()
    body = cbor2.dumps({1: "x" * 1_000_000})
    comp = zlib.compressobj(level=9, wbits=-15, zdict=ZDICT_V1)
    deflated = comp.compress(body) + comp.flush()
    from kiosk.forms.keys import key_id_bytes

    signed = b"\x01" + key_id_bytes(key.public_key()) + deflated
    with pytest.raises(PayloadError) as info:
        decode_binary(signed + key.sign(signed), trusted_keys=[key.public_key()])
    assert info.value.reason == "too_large"


_TWELVE_DIGITS = re.compile(rb"(?<![0-9])[0-9]{12}(?![0-9])")
_FORBIDDEN_KEYS = (b"pin", b"my_number", b"mynumber", b"individual_number", "個人番号".encode())


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_payload_never_carries_a_pin_or_my_number(
    path: Path, device_key: Ed25519PrivateKey
) -> None:
    filing = filing_from_json(path.read_text(encoding="utf-8"))
    binary = encode_binary(filing, kiosk_id=KIOSK, private_key=device_key)
    inflated = zlib.decompressobj(wbits=-15, zdict=ZDICT_V1).decompress(binary[9:-64])
    body = cbor2.loads(inflated)
    flat = repr(body).encode("utf-8").lower()
    assert not _TWELVE_DIGITS.search(inflated)
    assert not _TWELVE_DIGITS.search(flat)
    for word in _FORBIDDEN_KEYS:
        assert word not in flat, word


@pytest.mark.parametrize(
    ("limit", "width_dots", "max_version"),
    [(MAX_PART_CHARS_576, 576, 40), (MAX_PART_CHARS_512, 512, 36)],
)
def test_a_full_size_part_fits_the_paper_at_3_dots_per_module(
    limit: int, width_dots: int, max_version: int
) -> None:
    binary = bytes(random.Random(1).getrandbits(8) for _ in range(5000))
    parts = split_binary(binary, limit)
    assert len(parts) >= 2
    biggest = max(parts, key=len)
    assert len(biggest) <= limit
    qr = segno.make(biggest, error="M", boost_error=False)
    assert qr.mode == "alphanumeric"
    assert qr.version <= max_version
    modules_with_quiet_zone = qr.symbol_size(scale=1, border=4)[0]
    assert modules_with_quiet_zone * 3 <= width_dots


def test_printed_qr_decodes_back_with_zxing(device_key: Ed25519PrivateKey) -> None:
    filing = _example("move_in_6_members")
    parts = encode_payload(filing, kiosk_id=KIOSK, private_key=device_key, max_part_chars=700)
    scanned = []
    for part in parts:
        buf = io.BytesIO()
        segno.make(part, error="M", boost_error=False).save(buf, kind="png", scale=3, border=4)
        image = Image.open(io.BytesIO(buf.getvalue())).convert("L")
        results = zxingcpp.read_barcodes(image)
        assert len(results) == 1
        scanned.append(results[0].text)
    random.Random(7).shuffle(scanned)
    decoded = decode_payload(scanned, trusted_keys=[device_key.public_key()])
    assert decoded.filing == filing
    assert decoded.signature is SignatureStatus.VALID


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_binaries_never_crash_the_decoder(data: bytes) -> None:
    for candidate in (data, b"\x01" + data):
        with contextlib.suppress(PayloadError):
            decode_binary(candidate, trusted_keys=None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_random_part_text_never_crashes_the_reader(text: str) -> None:
    from kiosk.forms.payload import _crc

    body = f"JK1:0123ABCD:1/1:{text}"
    with contextlib.suppress(PayloadError):
        decode_payload([f"{body}:{_crc(body)}"])
