"""基本4情報 (name, address, birth date, sex) from EF 0002 of the 券面事項入力補助AP.

Layout (card-protocol.md §5.1): ``FF20 { DF21 offsets, DF22 name, DF23 address, DF24 YYYYMMDD,
DF25 sex }`` followed by filler. The offset table holds four big-endian 16-bit offsets, from the
first byte of the file, of DF22..DF25; they must agree with the actual positions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from kiosk.hardware.card import tlv
from kiosk.hardware.card.errors import BadResponseError

TAG_BASIC_FOUR = 0xFF20
TAG_OFFSETS = 0xDF21
TAG_NAME = 0xDF22
TAG_ADDRESS = 0xDF23
TAG_BIRTH_DATE = 0xDF24
TAG_SEX = 0xDF25
FIELD_TAGS = (TAG_NAME, TAG_ADDRESS, TAG_BIRTH_DATE, TAG_SEX)
OFFSET_BYTES = 2
BIRTH_DATE_DIGITS = 8


class Sex(Enum):
    """性別 as coded on the card (JIS X 0303 style: 1, 2, 9)."""

    MALE = "male"
    FEMALE = "female"
    NOT_APPLICABLE = "not_applicable"

    @classmethod
    def from_code(cls, code: str) -> Sex:
        """Map the card's one-digit code; anything but 1/2/9 is malformed."""
        try:
            return _SEX_CODES[code]
        except KeyError:
            raise BadResponseError("unknown sex code on the card") from None


_SEX_CODES = {"1": Sex.MALE, "2": Sex.FEMALE, "9": Sex.NOT_APPLICABLE}


@dataclass(frozen=True, slots=True)
class BasicFourInfo:
    """The resident's 基本4情報 as read from the card (personal data: never log it)."""

    name: str
    address: str
    birth_date: dt.date
    sex: Sex

    def __repr__(self) -> str:
        return "BasicFourInfo(<personal data>)"

    @classmethod
    def parse(cls, data: bytes) -> BasicFourInfo:
        """Parse EF 0002's content (filler after the object is ignored)."""
        fields = _fields(data)
        return cls(
            name=_utf8(fields[TAG_NAME], "name"),
            address=_utf8(fields[TAG_ADDRESS], "address"),
            birth_date=_birth_date(fields[TAG_BIRTH_DATE]),
            sex=Sex.from_code(_utf8(fields[TAG_SEX], "sex")),
        )


def digest_input(data: bytes) -> bytes:
    """The bytes the DF32 digest covers: from the DF22 tag to the end of the FF20 object."""
    outer, _ = tlv.parse_one(data)
    if outer.tag != TAG_BASIC_FOUR:
        raise BadResponseError(f"EF 0002 starts with tag {outer.tag:X}, expected FF20")
    first, after_offsets = tlv.parse_one(outer.value)
    if first.tag != TAG_OFFSETS:
        raise BadResponseError("EF 0002 lacks the DF21 offset table")
    return outer.value[after_offsets:]


def _fields(data: bytes) -> dict[int, bytes]:
    tag, length, value_start = tlv.read_header(data)
    if tag != TAG_BASIC_FOUR:
        raise BadResponseError(f"EF 0002 starts with tag {tag:X}, expected FF20")
    end = value_start + length
    if end > len(data):
        raise BadResponseError("EF 0002 object is truncated")
    body = data[:end]
    pos = value_start
    offsets: tuple[int, ...] | None = None
    fields: dict[int, bytes] = {}
    positions: dict[int, int] = {}
    while pos < end:
        item, after = tlv.parse_one(body, pos)
        if offsets is None:
            if item.tag != TAG_OFFSETS:
                raise BadResponseError("EF 0002 lacks the DF21 offset table")
            offsets = _offsets(item.value)
        elif item.tag in FIELD_TAGS:
            if item.tag in fields:
                raise BadResponseError(f"EF 0002 repeats field {item.tag:X}")
            fields[item.tag] = item.value
            positions[item.tag] = pos
        pos = after
    missing = [t for t in FIELD_TAGS if t not in fields]
    if offsets is None or missing:
        raise BadResponseError("EF 0002 lacks a field")
    for field_tag, offset in zip(FIELD_TAGS, offsets, strict=True):
        if positions[field_tag] != offset:
            raise BadResponseError(f"EF 0002 offset table disagrees for {field_tag:X}")
    return fields


def _offsets(value: bytes) -> tuple[int, ...]:
    if len(value) != OFFSET_BYTES * len(FIELD_TAGS):
        raise BadResponseError("EF 0002 offset table has the wrong size")
    return tuple(
        int.from_bytes(value[i : i + OFFSET_BYTES], "big")
        for i in range(0, len(value), OFFSET_BYTES)
    )


def _utf8(value: bytes, what: str) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise BadResponseError(f"EF 0002 {what} is not valid UTF-8") from None


def _birth_date(value: bytes) -> dt.date:
    text = value.decode("ascii", errors="replace")
    if len(text) != BIRTH_DATE_DIGITS or not text.isdigit():
        raise BadResponseError("EF 0002 birth date is not YYYYMMDD")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise BadResponseError("EF 0002 birth date is not a valid date") from None
