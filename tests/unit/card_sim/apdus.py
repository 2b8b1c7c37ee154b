"""Hand-built command APDUs for the simulator tests (independent of the reader's own code)."""

from __future__ import annotations

from kiosk.hardware.card.sim import constants as c
from kiosk.hardware.card.sim.card import SimulatedCard


def select_ap(aid: bytes) -> bytes:
    """00 A4 04 0C Lc AID."""
    return bytes([0x00, 0xA4, 0x04, 0x0C, len(aid)]) + aid


def select_ef(fid: int) -> bytes:
    """00 A4 02 0C 02 FID."""
    return bytes([0x00, 0xA4, 0x02, 0x0C, 0x02]) + fid.to_bytes(2, "big")


def read_binary(offset: int, le: int) -> bytes:
    """00 B0 offset Le (short form, le 256 written as 00)."""
    return bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, le & 0xFF])


def verify(pin: bytes | str | None) -> bytes:
    """00 20 00 80 [Lc PIN]; None = the case-1 retry query."""
    if pin is None:
        return bytes.fromhex("00200080")
    raw = pin.encode() if isinstance(pin, str) else pin
    return bytes([0x00, 0x20, 0x00, 0x80, len(raw)]) + raw


def sign(data: bytes, p1: int = 0x00) -> bytes:
    """80 2A P1 80 Lc data 00."""
    return bytes([0x80, 0x2A, p1, 0x80, len(data)]) + data + b"\x00"


def run(card: SimulatedCard, apdu: bytes) -> tuple[bytes, int]:
    """Send one APDU; return (data, sw)."""
    response = card.process(apdu)
    return response[:-2], int.from_bytes(response[-2:], "big")


def ok(card: SimulatedCard, apdu: bytes) -> bytes:
    """Send one APDU and require 9000."""
    data, sw = run(card, apdu)
    assert sw == c.SW_OK, f"{apdu.hex()} -> {sw:04X}"
    return data


def read_all(card: SimulatedCard, fid: int) -> bytes:
    """SELECT EF and read the whole physical file with Le=00 chunks until 6B00."""
    ok(card, select_ef(fid))
    out = b""
    while True:
        data, sw = run(card, read_binary(len(out), 256))
        if sw == c.SW_WRONG_P1P2:
            return out
        assert sw == c.SW_OK, f"read {fid:04X} at {len(out)} -> {sw:04X}"
        out += data


def tlv_end(buf: bytes) -> int:
    """Length of the BER object (2-byte tag as on this card) at the start of buf."""
    tag_len = 2 if buf[0] & 0x1F == 0x1F else 1
    first = buf[tag_len]
    if first < 0x80:
        return tag_len + 1 + first
    n = first & 0x7F
    return tag_len + 1 + n + int.from_bytes(buf[tag_len + 1 : tag_len + 1 + n], "big")
