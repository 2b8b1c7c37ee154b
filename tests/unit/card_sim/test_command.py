"""APDU case parsing of the simulator."""

from __future__ import annotations

import pytest

from kiosk.hardware.card.sim.command import Command, MalformedApduError


@pytest.mark.parametrize(
    ("hex_apdu", "case", "data_len", "le", "extended"),
    [
        ("00200080", 1, 0, None, False),
        ("00B0000000", 2, 0, 256, False),
        ("00B0000004", 2, 0, 4, False),
        ("00A4020C020018", 3, 2, None, False),
        ("802A00800300010200", 4, 3, 256, False),
        ("00B00000000000", 2, 0, 65536, True),
        ("00B00000000123", 2, 0, 0x123, True),
        ("002000800000020102", 3, 2, None, True),
        ("0020008000000201020000", 4, 2, 65536, True),
    ],
)
def test_parse_recognises_iso_cases(
    hex_apdu: str, case: int, data_len: int, le: int | None, extended: bool
) -> None:
    cmd = Command.parse(bytes.fromhex(hex_apdu))
    assert (cmd.case, len(cmd.data), cmd.le, cmd.extended) == (case, data_len, le, extended)


@pytest.mark.parametrize(
    "hex_apdu", ["00", "00A404", "00A4040C0AD392", "00B000000000", "0020008000000001"]
)
def test_parse_rejects_impossible_lengths(hex_apdu: str) -> None:
    with pytest.raises(MalformedApduError):
        Command.parse(bytes.fromhex(hex_apdu))
