"""Which code points a font file maps, read straight from its ``cmap`` into a bit set.

The sweeps ask this for every label they observe, inside the app process whose memory the
benchmarks measure: fontTools' object graph of a CJK cmap (65,000 entries) would add tens of
megabytes to those figures; this reads only the chosen subtable and keeps 136 kB a face.
OpenType layout per https://learn.microsoft.com/typography/opentype/spec/cmap (formats 4, 12).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

#: a TrueType collection starts with this tag; its first face is what SDL_ttf opens
TTC_TAG = b"ttcf"
UNICODE_LIMIT = 0x110000
#: (platform, encoding) subtables that map Unicode, full repertoire first
UNICODE_SUBTABLES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3))
SEGMENTED_16 = 4  # format 4: segment mapping to delta values
SEGMENTED_32 = 12  # format 12: segmented coverage


class CodePoints:
    """A read-only set of code points (a bitmap over the Unicode range)."""

    def __init__(self, bits: bytearray) -> None:
        self._bits = bits

    def __contains__(self, point: object) -> bool:
        if not isinstance(point, int) or not 0 <= point < UNICODE_LIMIT:
            return False
        return bool(self._bits[point >> 3] & (1 << (point & 7)))

    def __len__(self) -> int:
        return sum(bin(byte).count("1") for byte in self._bits)


def _read(fh: BinaryIO, offset: int, size: int) -> bytes:
    fh.seek(offset)
    data = fh.read(size)
    if len(data) != size:
        raise ValueError("font file cut short")
    return data


def _cmap_offset(fh: BinaryIO) -> int:
    """The file offset of the first face's ``cmap`` table."""
    face = 0
    if _read(fh, 0, 4) == TTC_TAG:
        (face,) = struct.unpack(">I", _read(fh, 12, 4))
    (tables,) = struct.unpack(">H", _read(fh, face + 4, 2))
    directory = _read(fh, face + 12, 16 * tables)
    for i in range(tables):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", directory, 16 * i)
        if tag == b"cmap":
            return int(offset)
    raise ValueError("no cmap table")


def _mark(bits: bytearray, start: int, end: int) -> None:
    for point in range(max(start, 0), min(end, UNICODE_LIMIT - 1) + 1):
        bits[point >> 3] |= 1 << (point & 7)


def _format_12(fh: BinaryIO, at: int, bits: bytearray) -> None:
    (groups,) = struct.unpack(">I", _read(fh, at + 12, 4))
    data = _read(fh, at + 16, 12 * groups)
    for start, end, _glyph in struct.iter_unpack(">III", data):
        _mark(bits, start, end)


def _format_4(fh: BinaryIO, at: int, bits: bytearray) -> None:
    (length,) = struct.unpack(">H", _read(fh, at + 2, 2))
    table = _read(fh, at, length)
    segments = struct.unpack_from(">H", table, 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", table, 14)
    starts = struct.unpack_from(f">{segments}H", table, 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", table, 16 + 4 * segments)
    range_at = 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", table, range_at)
    for i, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, ranges, strict=True)):
        if start == 0xFFFF:
            continue
        if offset == 0:  # every code point of the segment maps to (c + delta) mod 65536
            for point in range(start, end + 1):
                if (point + delta) & 0xFFFF:
                    bits[point >> 3] |= 1 << (point & 7)
            continue
        for point in range(start, end + 1):  # glyph ids from the glyphIdArray
            where = range_at + 2 * i + offset + 2 * (point - start)
            if where + 2 <= len(table) and struct.unpack_from(">H", table, where)[0]:
                bits[point >> 3] |= 1 << (point & 7)


def code_points(path: str | Path) -> CodePoints:
    """The code points the font file (a collection's first face) has a glyph for."""
    bits = bytearray(UNICODE_LIMIT // 8)
    with open(path, "rb") as fh:
        cmap = _cmap_offset(fh)
        (count,) = struct.unpack(">H", _read(fh, cmap + 2, 2))
        records = _read(fh, cmap + 4, 8 * count)
        found = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", records, 8 * i)
            found[(platform, encoding)] = cmap + offset
        for key in UNICODE_SUBTABLES:
            if key not in found:
                continue
            (fmt,) = struct.unpack(">H", _read(fh, found[key], 2))
            if fmt == SEGMENTED_32:
                _format_12(fh, found[key], bits)
                break
            if fmt == SEGMENTED_16:
                _format_4(fh, found[key], bits)
                break
    return CodePoints(bits)
