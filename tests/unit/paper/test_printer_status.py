"""DLE EOT status decoding: answer bytes → state → typed errors (pure, table-driven)."""

from __future__ import annotations

import pytest

from kiosk.hardware.printer.errors import (
    CoverOpenError,
    PaperOutError,
    PrinterOfflineError,
    PrinterStatusError,
)
from kiosk.hardware.printer.status import (
    PaperLevel,
    PrinterStatus,
    decode_offline_cause,
    decode_paper,
    decode_printer,
    decode_status,
    encode_answers,
    raise_unless_ready,
    status_request,
)


@pytest.mark.parametrize(
    ("answer", "online"),
    [(b"\x12", True), (b"\x16", True), (b"\x1a", False), (b"\x3a", False), (b"\x32", True)],
)
def test_dle_eot_1_online_bit(answer: bytes, online: bool) -> None:
    assert decode_printer(answer) is online


@pytest.mark.parametrize(
    ("answer", "cover", "paper_end", "error"),
    [
        (b"\x12", False, False, False),
        (b"\x16", True, False, False),
        (b"\x32", False, True, False),
        (b"\x52", False, False, True),
        (b"\x76", True, True, True),
    ],
)
def test_dle_eot_2_offline_causes(answer: bytes, cover: bool, paper_end: bool, error: bool) -> None:
    cause = decode_offline_cause(answer)
    assert (cause.cover_open, cause.stopped_paper_end, cause.error) == (cover, paper_end, error)


@pytest.mark.parametrize(
    ("answer", "level"),
    [
        (b"\x12", PaperLevel.OK),
        (b"\x1e", PaperLevel.NEAR_END),
        (b"\x72", PaperLevel.OUT),
        (b"\x7e", PaperLevel.OUT),
        (b"\x16", PaperLevel.OK),  # one near-end bit alone is not "near end"
    ],
)
def test_dle_eot_4_paper_sensor(answer: bytes, level: PaperLevel) -> None:
    assert decode_paper(answer) is level


@pytest.mark.parametrize("answer", [b"", b"\x00", b"\xff", b"\x13", b"\x92"])
def test_answers_violating_fixed_bits_are_rejected(answer: bytes) -> None:
    with pytest.raises(PrinterStatusError) as info:
        decode_paper(answer)
    assert info.value.answer == answer and info.value.code == "printer_bad_status"


def test_status_request_bytes() -> None:
    assert [status_request(n) for n in (1, 2, 4)] == [
        b"\x10\x04\x01",
        b"\x10\x04\x02",
        b"\x10\x04\x04",
    ]


@pytest.mark.parametrize(
    ("state", "error"),
    [
        ({"online": False, "paper": PaperLevel.OUT}, PaperOutError),
        ({"online": True, "paper": PaperLevel.OUT}, PaperOutError),
        ({"online": False, "cover_open": True}, CoverOpenError),
        ({"online": False}, PrinterOfflineError),
        ({"online": False, "cover_open": True, "paper": PaperLevel.OUT}, CoverOpenError),
    ],
)
def test_not_ready_states_map_to_typed_errors(state: dict[str, object], error: type) -> None:
    answers = encode_answers(**state)  # type: ignore[arg-type]
    status = decode_status(answers[1], answers[2], answers[4])
    assert not status.ready
    with pytest.raises(error) as info:
        raise_unless_ready(status)
    assert isinstance(info.value.code, str) and info.value.code.startswith("printer_")


def test_ready_and_near_end_do_not_raise() -> None:
    for level in (PaperLevel.OK, PaperLevel.NEAR_END):
        a = encode_answers(paper=level)
        status = decode_status(a[1], a[2], a[4])
        assert status.ready and status.paper is level
        raise_unless_ready(status)


def test_unknown_status_of_write_only_printer_counts_as_ready() -> None:
    assert PrinterStatus.unknown().ready


def test_paper_out_error_carries_the_status_byte() -> None:
    a = encode_answers(online=False, paper=PaperLevel.OUT)
    with pytest.raises(PaperOutError) as info:
        raise_unless_ready(decode_status(a[1], a[2], a[4]))
    assert info.value.status_byte == 0x7E
