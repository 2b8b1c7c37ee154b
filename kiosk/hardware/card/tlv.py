"""Strict BER-TLV: 1–3 byte tags, short and long-form lengths (up to 3 length bytes).

The My Number card writes private tags in the two-byte form even for small numbers (``FF 20``,
``DF 21``, card-protocol.md §5), so this is deliberately not a DER parser. Anything truncated or
malformed raises ``BadResponseError``; indefinite lengths are refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.hardware.card.errors import BadResponseError

MAX_TAG_BYTES = 3
MAX_LENGTH_BYTES = 3
TAG_NUMBER_MASK = 0x1F  # low 5 bits all set: the tag continues in following bytes
TAG_MORE_BYTES = 0x80  # in subsequent tag bytes: another tag byte follows
CONSTRUCTED_BIT = 0x20
LONG_LENGTH_FLAG = 0x80
INDEFINITE_LENGTH = 0x80


@dataclass(frozen=True, slots=True)
class Tlv:
    """One decoded TLV: its tag (as the integer of its tag bytes) and its value bytes."""

    tag: int
    value: bytes

    @property
    def constructed(self) -> bool:
        """True when the tag's first byte has the constructed bit set."""
        return bool(_first_tag_byte(self.tag) & CONSTRUCTED_BIT)

    def children(self) -> list[Tlv]:
        """Parse the value as a sequence of TLVs (for constructed objects)."""
        return parse_all(self.value)

    def encode(self) -> bytes:
        """The TLV's encoding (minimal-length form)."""
        return encode(self.tag, self.value)


def _first_tag_byte(tag: int) -> int:
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")[0]


def read_tag(data: bytes, pos: int) -> tuple[int, int]:
    """Decode a tag at ``pos``; return (tag, position after it)."""
    if pos >= len(data):
        raise BadResponseError("TLV truncated: missing tag")
    first = data[pos]
    tag = first
    pos += 1
    if first & TAG_NUMBER_MASK != TAG_NUMBER_MASK:
        return tag, pos
    for count in range(2, MAX_TAG_BYTES + 1):
        if pos >= len(data):
            raise BadResponseError("TLV truncated inside a multi-byte tag")
        byte = data[pos]
        tag = (tag << 8) | byte
        pos += 1
        if not byte & TAG_MORE_BYTES:
            return tag, pos
        if count == MAX_TAG_BYTES:
            break
    raise BadResponseError(f"TLV tag longer than {MAX_TAG_BYTES} bytes")


def read_length(data: bytes, pos: int) -> tuple[int, int]:
    """Decode a length at ``pos``; return (length, position after it)."""
    if pos >= len(data):
        raise BadResponseError("TLV truncated: missing length")
    first = data[pos]
    pos += 1
    if not first & LONG_LENGTH_FLAG:
        return first, pos
    if first == INDEFINITE_LENGTH:
        raise BadResponseError("indefinite TLV length is not allowed")
    count = first & ~LONG_LENGTH_FLAG
    if count > MAX_LENGTH_BYTES:
        raise BadResponseError(f"TLV length field of {count} bytes is not supported")
    if pos + count > len(data):
        raise BadResponseError("TLV truncated inside a long-form length")
    return int.from_bytes(data[pos : pos + count], "big"), pos + count


def read_header(data: bytes, pos: int = 0) -> tuple[int, int, int]:
    """Decode tag and length at ``pos``; return (tag, value length, value start)."""
    tag, pos = read_tag(data, pos)
    length, pos = read_length(data, pos)
    return tag, length, pos


def parse_one(data: bytes, pos: int = 0) -> tuple[Tlv, int]:
    """Decode one TLV at ``pos``; return it and the position after it."""
    tag, length, start = read_header(data, pos)
    end = start + length
    if end > len(data):
        raise BadResponseError(f"TLV {tag:X} claims {length} bytes, only {len(data) - start} left")
    return Tlv(tag, data[start:end]), end


def parse_all(data: bytes) -> list[Tlv]:
    """Decode a concatenation of TLVs that must fill ``data`` exactly."""
    items: list[Tlv] = []
    pos = 0
    while pos < len(data):
        item, pos = parse_one(data, pos)
        items.append(item)
    return items


def object_size(data: bytes) -> int | None:
    """Total size (header + value) of the TLV starting ``data``; ``None`` if the header is cut.

    Used to size READ BINARY from the first chunk of a file.
    """
    try:
        _, length, start = read_header(data)
    except BadResponseError:
        if len(data) >= MAX_TAG_BYTES + 1 + MAX_LENGTH_BYTES:
            raise
        return None
    return start + length


def encode_tag(tag: int) -> bytes:
    """The bytes of a tag number as written (its integer form is its bytes)."""
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")


def encode_length(length: int) -> bytes:
    """Short form below 0x80, else the minimal long form."""
    if length < 0:
        raise ValueError("negative length")
    if length < LONG_LENGTH_FLAG:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    if len(body) > MAX_LENGTH_BYTES:
        raise ValueError(f"length {length} needs more than {MAX_LENGTH_BYTES} bytes")
    return bytes([LONG_LENGTH_FLAG | len(body)]) + body


def encode(tag: int, value: bytes) -> bytes:
    """Encode one TLV."""
    return encode_tag(tag) + encode_length(len(value)) + value


def find(items: list[Tlv], tag: int) -> Tlv:
    """The first item with ``tag``; raises ``BadResponseError`` when absent."""
    for item in items:
        if item.tag == tag:
            return item
    raise BadResponseError(f"expected TLV {tag:X} is missing")
