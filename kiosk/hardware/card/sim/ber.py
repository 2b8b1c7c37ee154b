"""A tiny BER encoder for building the simulated card's files (tags are given as raw bytes)."""

from __future__ import annotations

SHORT_FORM_MAX = 0x7F
ONE_BYTE_LONG_FORM_MAX = 0xFF
TWO_BYTE_LONG_FORM_MAX = 0xFFFF


def encode_length(length: int) -> bytes:
    """BER definite length: short form below 0x80, else ``81 xx`` / ``82 xx xx``."""
    if length < 0:
        raise ValueError("negative length")
    if length <= SHORT_FORM_MAX:
        return bytes([length])
    if length <= ONE_BYTE_LONG_FORM_MAX:
        return bytes([0x81, length])
    if length <= TWO_BYTE_LONG_FORM_MAX:
        return bytes([0x82]) + length.to_bytes(2, "big")
    raise ValueError(f"length {length} too large for this card")


def tlv(tag: bytes, value: bytes) -> bytes:
    """One TLV: the tag bytes as given, a BER length, the value."""
    return tag + encode_length(len(value)) + value


def header_length(tag: bytes, value_length: int) -> int:
    """Number of bytes before the value of a TLV with this tag and value length."""
    return len(tag) + len(encode_length(value_length))
