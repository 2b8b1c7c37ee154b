"""The minimal IPP encoder/decoder of the card-face printer client (bytes per RFC 8010)."""

from __future__ import annotations

import struct

import pytest

from server_sync.intake.cardface import PrinterError
from server_sync.intake.cardface.ipp import (
    JobState,
    Operation,
    Tag,
    decode_response,
    encode_request,
    http_target,
)


def test_request_bytes() -> None:
    data = encode_request(
        Operation.PRINT_JOB,
        [(Tag.CHARSET, "attributes-charset", "utf-8"), (Tag.INTEGER, "job-id", 7)],
        [(Tag.KEYWORD, "print-scaling", "none")],
        request_id=42,
    )
    assert data == (
        b"\x02\x00\x00\x02\x00\x00\x00\x2a"  # version 2.0, Print-Job, request 42
        b"\x01"  # operation-attributes
        b"\x47\x00\x12attributes-charset\x00\x05utf-8"
        b"\x21\x00\x06job-id\x00\x04\x00\x00\x00\x07"
        b"\x02"  # job-attributes
        b"\x44\x00\x0dprint-scaling\x00\x04none"
        b"\x03"  # end-of-attributes
    )


def _attr(tag: int, name: str, value: bytes) -> bytes:
    raw = name.encode()
    return struct.pack(">BH", tag, len(raw)) + raw + struct.pack(">H", len(value)) + value


def test_response_decoding_keeps_the_first_of_several_values() -> None:
    data = (
        b"\x02\x00\x00\x00\x00\x00\x00\x05\x01"
        + _attr(0x47, "attributes-charset", b"utf-8")
        + b"\x02"
        + _attr(0x21, "job-id", struct.pack(">i", 12))
        + _attr(0x23, "job-state", struct.pack(">i", 9))
        + _attr(0x44, "job-state-reasons", b"job-completed-successfully")
        + _attr(0x44, "", b"another-reason")
        + b"\x03"
    )
    response = decode_response(data)
    assert response.ok and response.request_id == 5
    assert response.attributes["job-id"] == 12
    assert JobState(response.attributes["job-state"]) is JobState.COMPLETED
    assert response.attributes["job-state-reasons"] == "job-completed-successfully"


def test_error_status_and_truncation() -> None:
    assert not decode_response(b"\x02\x00\x04\x06\x00\x00\x00\x01\x03").ok  # not-found
    with pytest.raises(PrinterError):
        decode_response(b"\x02\x00\x00\x00\x00\x00\x00\x01\x01\x47\x00\x05ab")


def test_queue_uris() -> None:
    assert http_target("ipp://localhost/printers/cardface") == (
        "localhost",
        631,
        "/printers/cardface",
        False,
    )
    assert http_target("ipps://print.ward.example:8631/printers/c")[1:] == (
        8631,
        "/printers/c",
        True,
    )
    with pytest.raises(PrinterError):
        http_target("lpd://printer/queue")
    assert JobState.ABORTED.final and not JobState.PROCESSING.final
    assert JobState.PENDING_HELD.label == "pending-held"
