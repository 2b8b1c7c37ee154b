from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.hardware.card import tlv
from kiosk.hardware.card.errors import BadResponseError
from tests.unit.card.scripted import cmd


@pytest.mark.parametrize("length", [0, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000])
def test_length_boundaries_round_trip(length: int) -> None:
    encoded = tlv.encode(0xDF23, bytes(length))
    item, end = tlv.parse_one(encoded)
    assert (item.tag, len(item.value), end) == (0xDF23, length, len(encoded))


@pytest.mark.parametrize(
    ("length", "header"),
    [(0x7F, "DF237F"), (0x80, "DF238180"), (0xFF, "DF2381FF"), (0x100, "DF23820100")],
)
def test_long_form_length_bytes(length: int, header: str) -> None:
    assert tlv.encode(0xDF23, bytes(length))[: len(header) // 2] == cmd(header)


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("04 00", 0x04),
        ("DF 21 00", 0xDF21),
        ("7F 21 00", 0x7F21),
        ("5F 4E 00", 0x5F4E),
        ("FF 81 01 00", 0xFF8101),
    ],
)
def test_tags_of_one_to_three_bytes(raw: str, tag: int) -> None:
    assert tlv.parse_one(cmd(raw))[0].tag == tag


@pytest.mark.parametrize(
    "raw",
    [
        "",  # no tag
        "DF",  # tag cut
        "DF 22",  # no length
        "DF 22 05 41 42",  # value shorter than length
        "DF 22 81",  # long length cut
        "DF 22 82 01",  # long length cut
        "DF 22 80 00 00",  # indefinite length
        "DF 22 84 00 00 00 01 00",  # 4 length bytes
        "FF 81 81 01 00",  # 4-byte tag
    ],
)
def test_malformed_input_raises_bad_response(raw: str) -> None:
    with pytest.raises(BadResponseError):
        tlv.parse_one(cmd(raw))


def test_parse_all_must_fill_the_input_exactly() -> None:
    assert [t.tag for t in tlv.parse_all(cmd("DF21 01 00 DF22 00"))] == [0xDF21, 0xDF22]
    with pytest.raises(BadResponseError):
        tlv.parse_all(cmd("DF21 01 00 DF"))


def test_object_size_from_a_partial_header() -> None:
    assert tlv.object_size(cmd("30 82 04 D2 30 82")) == 0x4D2 + 4
    assert tlv.object_size(cmd("FF 20 65")) == 0x65 + 3
    assert tlv.object_size(cmd("30 82")) is None


def test_constructed_bit_and_children() -> None:
    outer = tlv.parse_one(cmd("FF20 07 DF21 01 AA DF22 00"))[0]
    assert outer.constructed
    assert [c.tag for c in outer.children()] == [0xDF21, 0xDF22]


@given(st.sampled_from([0x04, 0x90, 0xDF22, 0x7F21, 0xFF8101]), st.binary(max_size=600))
def test_any_value_round_trips(tag: int, value: bytes) -> None:
    item, end = tlv.parse_one(tlv.encode(tag, value) + b"\xff\xff")
    assert (item.tag, item.value) == (tag, value)
    assert end == len(tlv.encode(tag, value))
