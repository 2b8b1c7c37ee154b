"""The signed barcode payload: CBOR + raw deflate + Ed25519, as base45 text parts for QR codes.

Binary (payload version 1)::

    0x01 | key id (8 bytes) | raw-deflate(CBOR map, preset dictionary ZDICT_V1) | Ed25519 sig (64)

The signature covers every byte before it. The CBOR map holds the filing object exactly as in the
filing JSON format (``kiosk.forms.codec.filing_to_dict``) plus kiosk id, filing id and timestamps.
The binary is cut into equal chunks; each chunk becomes one QR text part::

    JK1:<group>:<i>/<n>:<base45 chunk>:<crc>

``group`` is the first 4 bytes of SHA-256 of the whole binary (8 upper-case hex digits, so parts
of different filings are never mixed), ``i``/``n`` are 1-based, ``crc`` is CRC-32 of everything
before the last colon (8 upper-case hex digits; catches a mistyped part from a keyboard-wedge
scanner). Only QR alphanumeric characters are used, so the text survives HID scanners and keeps
QR alphanumeric-mode density. Never a PIN or a 個人番号: the model has no such field.
"""

from __future__ import annotations

import hashlib
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.forms.base45 import Base45Error, b45decode, b45encode, encoded_length
from kiosk.forms.codec import filing_from_dict, filing_to_dict
from kiosk.forms.errors import FilingFormatError, PayloadError
from kiosk.forms.keys import KEY_ID_BYTES, key_id_bytes
from kiosk.forms.model import Filing

PAYLOAD_VERSION = 1
PART_PREFIX = "JK1"
SIGNATURE_BYTES = 64
GROUP_HEX_CHARS = 8
MAX_PARTS = 99
#: decompressed CBOR larger than this is refused (a 40-member filing is ~12 KiB)
MAX_CBOR_BYTES = 256 * 1024
_HEADER_BYTES = 1 + KEY_ID_BYTES

# CBOR map keys (small ints keep the payload compact)
KEY_FILING = 1
KEY_KIOSK_ID = 2
KEY_FILING_ID = 3
KEY_CREATED_AT = 4
KEY_PRINTED_AT = 5

#: QR alphanumeric capacity at ECC M: version 40 = 3391 chars, version 36 = 2780 chars.
#: 576 dots (80 mm, 203 dpi) at 3 dots/module fits version 40 incl. a 4-module quiet zone
#: (185 modules = 555 dots); 512 dots (TM-T88, 180 dpi) fits version 36 (169 modules = 507 dots).
#: The defaults keep ~10 % margin below those capacities.
MAX_PART_CHARS_576 = 3000
MAX_PART_CHARS_512 = 2500
DEFAULT_MAX_PART_CHARS = MAX_PART_CHARS_576
PAPER_WIDTH_MAX_PART_CHARS = {576: MAX_PART_CHARS_576, 512: MAX_PART_CHARS_512}
#: below this the header would dominate; refuse silly settings
MIN_PART_CHARS = 120

_PART_RE = re.compile(
    rf"{PART_PREFIX}:(?P<group>[0-9A-F]{{{GROUP_HEX_CHARS}}}):(?P<index>[1-9][0-9]?)/"
    r"(?P<total>[1-9][0-9]?):(?P<data>.*):(?P<crc>[0-9A-F]{8})"
)

# Preset deflate dictionary of payload version 1. NEVER change it: old payloads need it.
_ZDICT_WORDS_V1 = (
    "format id ward_code kind notified_on moved_on created_at language phone filer name furigana "
    "standing member_index from_chip address old_address new_address household mode existing_head "
    "previous_head members birth_date sex relationship card_tasks related scheme prefecture city "
    "lg_code machiaza_id town block residence chiban katagaki katagaki_listed postal_code "
    "free_text country move_in move_in_from_abroad move_within move_out head_change "
    "household_split household_merge household_restructure self head household_member proxy "
    "legal_representative male female residential parcel whole join continued_use "
    "surface_update signature_certificate national_health_insurance national_pension "
    "long_term_care late_elderly_medical child_allowance school_enrolment seal_registration "
    "yes no unsure 世帯主 妻 夫 子 子の子 父 母 同居人 縁故者 東京都 新宿区 丁目 番地 号室"
)
ZDICT_V1 = cbor2.dumps(_ZDICT_WORDS_V1.split(" "))


class SignatureStatus(StrEnum):
    """Outcome of checking the payload signature."""

    VALID = "valid"
    INVALID = "invalid"  # the key is trusted but the bytes were changed
    UNKNOWN_KEY = "unknown_key"  # signed by a key not in ``trusted_keys``
    UNCHECKED = "unchecked"  # no trusted keys were given


@dataclass(frozen=True, slots=True)
class DecodedPayload:
    """What a clerk's reader gets back from the barcode(s)."""

    filing: Filing
    kiosk_id: str
    filing_id: str
    created_at: datetime
    printed_at: datetime
    signature: SignatureStatus
    key_id: str  # 16 hex chars


# ----------------------------------------------------------------------------- encode


def _ts(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode_binary(
    filing: Filing,
    *,
    kiosk_id: str,
    private_key: Ed25519PrivateKey,
    printed_at: datetime | None = None,
) -> bytes:
    """The signed binary payload (before splitting into text parts)."""
    body = {
        KEY_FILING: filing_to_dict(filing),
        KEY_KIOSK_ID: kiosk_id,
        KEY_FILING_ID: filing.id,
        KEY_CREATED_AT: _ts(filing.created_at),
        KEY_PRINTED_AT: _ts(printed_at or datetime.now(UTC)),
    }
    cbor = cbor2.dumps(body, canonical=True)
    compressor = zlib.compressobj(level=9, wbits=-15, zdict=ZDICT_V1)
    deflated = compressor.compress(cbor) + compressor.flush()
    signed = bytes([PAYLOAD_VERSION]) + key_id_bytes(private_key.public_key()) + deflated
    return signed + private_key.sign(signed)


def _group_id(binary: bytes) -> str:
    return hashlib.sha256(binary).digest()[: GROUP_HEX_CHARS // 2].hex().upper()


def _crc(text: str) -> str:
    return f"{zlib.crc32(text.encode('ascii')):08X}"


def _part_overhead(total: int) -> int:
    digits = len(str(total))
    return len(f"{PART_PREFIX}::/::") + GROUP_HEX_CHARS + 2 * digits + 8


def split_binary(binary: bytes, max_part_chars: int = DEFAULT_MAX_PART_CHARS) -> list[str]:
    """Cut a binary payload into text parts of at most ``max_part_chars`` characters."""
    if max_part_chars < MIN_PART_CHARS:
        raise ValueError(f"max_part_chars must be at least {MIN_PART_CHARS}")
    for total in range(1, MAX_PARTS + 1):
        chunk = math.ceil(len(binary) / total)
        chunk += chunk % 2  # whole base45 triples except in the last part
        if _part_overhead(total) + encoded_length(chunk) <= max_part_chars:
            break
    else:
        raise PayloadError("too_large", f"{len(binary)} bytes need more than {MAX_PARTS} parts")
    chunks = [binary[i : i + chunk] for i in range(0, len(binary), chunk)] or [b""]
    group = _group_id(binary)
    parts = []
    for i, piece in enumerate(chunks, start=1):
        body = f"{PART_PREFIX}:{group}:{i}/{len(chunks)}:{b45encode(piece)}"
        parts.append(f"{body}:{_crc(body)}")
    return parts


def encode_payload(
    filing: Filing,
    *,
    kiosk_id: str,
    private_key: Ed25519PrivateKey,
    max_part_chars: int | None = None,
    printed_at: datetime | None = None,
) -> list[str]:
    """Sign a filing and return the QR text part(s), in order (usually one)."""
    binary = encode_binary(
        filing, kiosk_id=kiosk_id, private_key=private_key, printed_at=printed_at
    )
    return split_binary(binary, max_part_chars or DEFAULT_MAX_PART_CHARS)


# ----------------------------------------------------------------------------- reassemble


@dataclass(frozen=True, slots=True)
class Part:
    """One parsed text part."""

    group: str
    index: int
    total: int
    data: bytes


def parse_part(text: str) -> Part:
    """Parse one scanned part (surrounding whitespace/newlines are ignored)."""
    m = _PART_RE.fullmatch(text.strip())
    if m is None:
        raise PayloadError("not_a_part", "not a kiosk filing code")
    body = text.strip()[: -(len(m["crc"]) + 1)]
    if _crc(body) != m["crc"]:
        raise PayloadError("part_checksum", "the code was read or typed incompletely")
    index, total = int(m["index"]), int(m["total"])
    if index > total:
        raise PayloadError("not_a_part", f"part {index} of {total}")
    try:
        data = b45decode(m["data"])
    except Base45Error as err:
        raise PayloadError("not_a_part", str(err)) from None
    return Part(group=m["group"], index=index, total=total, data=data)


class PartCollector:
    """Collects parts one by one in any order; duplicates are ignored."""

    def __init__(self) -> None:
        self._group: str | None = None
        self._total = 0
        self._parts: dict[int, bytes] = {}

    def add(self, text: str) -> bool:
        """Add a scanned part; False if it was a duplicate. Raises ``PayloadError`` if foreign."""
        part = parse_part(text)
        if self._group is None:
            self._group, self._total = part.group, part.total
        elif part.group != self._group or part.total != self._total:
            raise PayloadError("other_filing", "this code belongs to a different filing")
        if part.index in self._parts:
            if self._parts[part.index] != part.data:
                raise PayloadError("part_conflict", f"part {part.index} differs from before")
            return False
        self._parts[part.index] = part.data
        return True

    @property
    def total(self) -> int | None:
        """The number of parts, once the first part was seen."""
        return self._total or None

    @property
    def complete(self) -> bool:
        """True once every part is present."""
        return self._group is not None and len(self._parts) == self._total

    def missing(self) -> list[int]:
        """1-based numbers of the parts still missing (empty before the first part)."""
        return [i for i in range(1, self._total + 1) if i not in self._parts]

    def binary(self) -> bytes:
        """The reassembled binary; raises ``PayloadError`` if incomplete or inconsistent."""
        if not self.complete:
            raise PayloadError("incomplete", f"missing parts {self.missing()}")
        binary = b"".join(self._parts[i] for i in range(1, self._total + 1))
        if _group_id(binary) != self._group:
            raise PayloadError("reassembly_mismatch", "parts do not form one payload")
        return binary


# ----------------------------------------------------------------------------- decode


def _parse_ts(value: object, what: str) -> datetime:
    if not isinstance(value, str):
        raise PayloadError("bad_body", f"{what} is not a timestamp")
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PayloadError("bad_body", f"{what} is not a timestamp") from None
    if dt.tzinfo is None:
        raise PayloadError("bad_body", f"{what} has no offset")
    return dt.astimezone(UTC)


def _check_signature(
    signed: bytes, signature: bytes, kid: bytes, trusted: Sequence[Ed25519PublicKey] | None
) -> SignatureStatus:
    if trusted is None:
        return SignatureStatus.UNCHECKED
    for key in trusted:
        if key_id_bytes(key) == kid:
            try:
                key.verify(signature, signed)
            except InvalidSignature:
                return SignatureStatus.INVALID
            return SignatureStatus.VALID
    return SignatureStatus.UNKNOWN_KEY


def decode_binary(
    binary: bytes, *, trusted_keys: Sequence[Ed25519PublicKey] | None
) -> DecodedPayload:
    """Verify and decode a reassembled binary payload."""
    if len(binary) < _HEADER_BYTES + SIGNATURE_BYTES + 1:
        raise PayloadError("truncated", f"{len(binary)} bytes")
    if binary[0] != PAYLOAD_VERSION:
        raise PayloadError("unsupported_version", f"payload version {binary[0]}")
    signed, signature = binary[:-SIGNATURE_BYTES], binary[-SIGNATURE_BYTES:]
    kid = binary[1:_HEADER_BYTES]
    status = _check_signature(signed, signature, kid, trusted_keys)
    try:
        inflater = zlib.decompressobj(wbits=-15, zdict=ZDICT_V1)
        cbor = inflater.decompress(signed[_HEADER_BYTES:], MAX_CBOR_BYTES)
        if inflater.unconsumed_tail:
            raise PayloadError("too_large", "decompressed body exceeds the limit")
        if not inflater.eof:
            raise PayloadError("undecodable", "compressed body is truncated")
    except PayloadError:
        raise
    except zlib.error as err:
        raise PayloadError("undecodable", "bad compressed body") from err
    try:
        body: Any = cbor2.loads(cbor)
    except Exception as err:  # hostile CBOR may raise anything; never crash
        raise PayloadError("undecodable", f"bad CBOR ({err.__class__.__name__})") from None
    if not isinstance(body, dict):
        raise PayloadError("bad_body", "body is not a map")
    try:
        filing = filing_from_dict(body.get(KEY_FILING))
    except FilingFormatError as err:
        raise PayloadError("bad_filing", f"{err.path}: {err.reason}") from err
    kiosk_id = body.get(KEY_KIOSK_ID)
    filing_id = body.get(KEY_FILING_ID)
    if not isinstance(kiosk_id, str) or filing_id != filing.id:
        raise PayloadError("bad_body", "kiosk id or filing id missing or inconsistent")
    return DecodedPayload(
        filing=filing,
        kiosk_id=kiosk_id,
        filing_id=filing.id,
        created_at=_parse_ts(body.get(KEY_CREATED_AT), "created_at"),
        printed_at=_parse_ts(body.get(KEY_PRINTED_AT), "printed_at"),
        signature=status,
        key_id=kid.hex(),
    )


def decode_payload(
    parts: Iterable[str], *, trusted_keys: Sequence[Ed25519PublicKey] | None = None
) -> DecodedPayload:
    """Reassemble parts (any order, duplicates ignored), verify and decode."""
    collector = PartCollector()
    for part in parts:
        collector.add(part)
    return decode_binary(collector.binary(), trusted_keys=trusted_keys)
