"""Whatever bytes a card returns, the parsers either succeed or raise BadResponseError."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.hardware.card import basic_four, tlv
from kiosk.hardware.card.basic_four import BasicFourInfo
from kiosk.hardware.card.cv_certificate import CvCertificate
from kiosk.hardware.card.errors import BadResponseError
from kiosk.hardware.card.integrity import IntegrityRecord
from kiosk.hardware.card.my_number_card import parse_certificate
from tests.unit.card.test_basic_four import VECTOR

PARSERS: list[Callable[[bytes], object]] = [
    BasicFourInfo.parse,
    basic_four.digest_input,
    IntegrityRecord.parse,
    CvCertificate.parse,
    parse_certificate,
    tlv.parse_all,
    tlv.object_size,
]


def only_bad_response(parser: Callable[[bytes], object], data: bytes) -> None:
    with contextlib.suppress(BadResponseError):
        parser(data)


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_random_bytes(parser: Callable[[bytes], object], data: bytes) -> None:
    only_bad_response(parser, data)


@settings(max_examples=300, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(VECTOR)),
    flips=st.lists(st.tuples(st.integers(0, len(VECTOR) - 1), st.integers(0, 255)), max_size=4),
)
def test_mutated_basic_four_vector(cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(VECTOR)
    for index, value in flips:
        data[index] = value
    only_bad_response(BasicFourInfo.parse, bytes(data[:cut]))
    only_bad_response(basic_four.digest_input, bytes(data[:cut]))
