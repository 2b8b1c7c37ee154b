from __future__ import annotations

import pytest

from kiosk.hardware.card import apdu
from tests.unit.card.scripted import cmd


def test_select_jpki_ap_is_case_3_without_le() -> None:
    assert apdu.select_df(cmd("D392F000260100000001")) == cmd(
        "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"
    )


def test_select_ef_by_file_id() -> None:
    assert apdu.select_ef(0x0018) == cmd("00 A4 02 0C 02 00 18")


def test_tries_query_is_exactly_four_bytes() -> None:
    assert apdu.verify(None) == cmd("00 20 00 80")


def test_verify_carries_ascii_pin_without_le() -> None:
    assert apdu.verify(b"1234") == cmd("00 20 00 80 04 31 32 33 34")


@pytest.mark.parametrize(
    ("offset", "le", "expected"),
    [(0, 256, "00 B0 00 00 00"), (0x100, 80, "00 B0 01 00 50"), (0x7FFF, 1, "00 B0 7F FF 01")],
)
def test_read_binary_encodes_offset_and_short_le(offset: int, le: int, expected: str) -> None:
    assert apdu.read_binary(offset, le) == cmd(expected)


def test_read_binary_refuses_offsets_past_7fff() -> None:
    with pytest.raises(ValueError):
        apdu.read_binary(0x8000, 1)


@pytest.mark.parametrize(
    ("fid", "le", "expected"),
    [
        (0x0006, 32, "00 B0 86 00 20"),
        (0x000A, 256, "00 B0 8A 00 00"),
        (0x001E, 1, "00 B0 9E 00 01"),
    ],
)
def test_read_binary_by_short_ef_id(fid: int, le: int, expected: str) -> None:
    assert apdu.read_binary_short_ef(fid, 0, le) == cmd(expected)


@pytest.mark.parametrize(("fid", "offset"), [(0x0000, 0), (0x001F, 0), (0x0102, 0), (0x0006, 256)])
def test_read_binary_by_short_ef_id_refuses_what_it_cannot_encode(fid: int, offset: int) -> None:
    with pytest.raises(ValueError):
        apdu.read_binary_short_ef(fid, offset, 1)


def test_compute_signature_is_case_4_with_le_00() -> None:
    data = bytes(51)
    assert apdu.compute_signature(data) == cmd("80 2A 00 80 33") + data + b"\x00"


@pytest.mark.parametrize(
    ("command", "header", "data", "le"),
    [
        ("00 20 00 80", "00200080", "", None),
        ("00 B0 00 00 00", "00B00000", "", 256),
        ("00 A4 02 0C 02 00 0A", "00A4020C", "000A", None),
        ("80 2A 00 80 02 AA BB 10", "802A0080", "AABB", 16),
    ],
)
def test_split_recognises_the_four_cases(
    command: str, header: str, data: str, le: int | None
) -> None:
    assert apdu.split(cmd(command)) == (cmd(header), cmd(data), le)


def test_with_le_replaces_or_appends_le() -> None:
    assert apdu.with_le(cmd("00 B0 00 00 00"), 0x20) == cmd("00 B0 00 00 20")
    assert apdu.with_le(cmd("00 A4 02 0C 02 00 0A"), 5) == cmd("00 A4 02 0C 02 00 0A 05")


def test_build_refuses_oversized_data() -> None:
    with pytest.raises(ValueError):
        apdu.build(0, 0xD6, 0, 0, bytes(256))


@pytest.mark.parametrize(
    ("sw", "tries"), [(0x63C3, 3), (0x63C0, 0), (0x9000, None), (0x6300, None)]
)
def test_tries_left_reads_63cx_only(sw: int, tries: int | None) -> None:
    assert apdu.tries_left(sw) == tries


def test_redact_masks_verify_data_and_keeps_the_header() -> None:
    text = apdu.redact(apdu.verify(b"1234"))
    assert text == "00 20 00 80 04 ** ** ** **"
    assert "31" not in text.split("04", 1)[1]


def test_redact_masks_change_reference_data() -> None:
    text = apdu.redact(cmd("00 24 01 80 08 31 32 33 34 35 36 37 38"))
    assert text == "00 24 01 80 08 " + " ".join(["**"] * 8)


def test_redact_leaves_the_tries_query_and_other_commands_alone() -> None:
    assert apdu.redact(cmd("00 20 00 80")) == "00 20 00 80"
    assert apdu.redact(cmd("00 A4 02 0C 02 00 11")) == "00 A4 02 0C 02 00 11"
