from __future__ import annotations

import logging

import pytest

from kiosk.hardware.card.errors import ApduError
from kiosk.hardware.card.protocol import CardProtocol
from kiosk.log import TRAFFIC
from tests.unit.card.scripted import ScriptedTransport, Step, cmd


def test_61xx_is_followed_by_get_response_and_concatenated() -> None:
    transport = ScriptedTransport(
        [
            Step(cmd("00 B0 00 00 00"), b"\x01" * 100, 0x61FF),
            Step(cmd("00 C0 00 00 FF"), b"\x02" * 255, 0x6110),
            Step(cmd("00 C0 00 00 10"), b"\x03" * 16, 0x9000),
        ]
    )
    data, sw = CardProtocol(transport).send(cmd("00 B0 00 00 00"))
    transport.done()
    assert (data, sw) == (b"\x01" * 100 + b"\x02" * 255 + b"\x03" * 16, 0x9000)


def test_6100_asks_for_256_bytes() -> None:
    transport = ScriptedTransport(
        [Step(cmd("80 2A 00 80 01 AA 00"), b"", 0x6100), Step(cmd("80 C0 00 00 00"), b"\x09" * 256)]
    )
    data, _ = CardProtocol(transport).send(cmd("80 2A 00 80 01 AA 00"))
    transport.done()
    assert data == b"\x09" * 256


def test_6cxx_resends_the_same_command_with_the_corrected_le() -> None:
    transport = ScriptedTransport(
        [Step(cmd("00 B0 00 00 00"), b"", 0x6C20), Step(cmd("00 B0 00 00 20"), b"\x07" * 32)]
    )
    protocol = CardProtocol(transport)
    assert protocol.send_ok(cmd("00 B0 00 00 00"), "READ") == b"\x07" * 32
    transport.done()
    assert protocol.apdu_count == 2


@pytest.mark.parametrize(
    "command",
    [
        "00 20 00 80 04 31 32 33 34",  # VERIFY: a PIN is never sent twice
        "00 24 01 80 04 31 32 33 34",  # CHANGE REFERENCE DATA
        "00 A4 02 0C 02 00 11",  # no Le to correct
    ],
)
def test_6cxx_never_resends_a_pin_or_a_command_without_le(command: str) -> None:
    transport = ScriptedTransport([Step(cmd(command), b"", 0x6C04)])
    protocol = CardProtocol(transport)
    assert protocol.send(cmd(command)) == (b"", 0x6C04)
    transport.done()
    assert protocol.apdu_count == 1


def test_6cxx_then_61xx_are_both_handled() -> None:
    transport = ScriptedTransport(
        [
            Step(cmd("00 B0 00 00 00"), b"", 0x6C08),
            Step(cmd("00 B0 00 00 08"), b"", 0x6108),
            Step(cmd("00 C0 00 00 08"), b"\x05" * 8),
        ]
    )
    assert CardProtocol(transport).send_ok(cmd("00 B0 00 00 00"), "READ") == b"\x05" * 8
    transport.done()


def test_send_ok_raises_apdu_error_with_sw_and_command_name() -> None:
    transport = ScriptedTransport([Step(cmd("00 B0 00 00 00"), b"", 0x6982)])
    with pytest.raises(ApduError) as info:
        CardProtocol(transport).send_ok(cmd("00 B0 00 00 00"), "READ X")
    assert (info.value.sw, info.value.command, info.value.code) == (0x6982, "READ X", "card_error")


def test_trace_masks_verify_data_and_omits_response_data(caplog: pytest.LogCaptureFixture) -> None:
    transport = ScriptedTransport(
        [
            Step(cmd("00 20 00 80 04 39 38 37 36"), b"", 0x63C2),
            Step(cmd("00 B0 00 00 00"), "山田".encode(), 0x9000),
        ]
    )
    protocol = CardProtocol(transport)
    with caplog.at_level(TRAFFIC, logger="kiosk.hardware.card.protocol"):
        protocol.send(cmd("00 20 00 80 04 39 38 37 36"))
        protocol.send(cmd("00 B0 00 00 00"))
    text = caplog.text
    assert "00 20 00 80 04 ** ** ** **" in text
    assert "39 38 37 36" not in text and "9876" not in text
    assert "SW 63C2" in text
    assert "E5 B1 B1".lower() not in text.lower() and "山田" not in text


def test_no_trace_above_traffic_level(caplog: pytest.LogCaptureFixture) -> None:
    transport = ScriptedTransport([Step(cmd("00 A4 02 0C 02 00 11"))])
    with caplog.at_level(logging.DEBUG, logger="kiosk.hardware.card.protocol"):
        CardProtocol(transport).send(cmd("00 A4 02 0C 02 00 11"))
    assert caplog.text == ""
