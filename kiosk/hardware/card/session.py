"""What both card applications share: SELECT, file reads sized from the TLV header, PIN checks.

Each application lists the files it may touch (``allowed_files``); anything else is refused
before a byte is sent. That is how the My Number EF, the signing certificate and the card-face
AP stay out of reach of this code.

Objects are sized from their TLV header and read in ≤ 256-byte chunks, each byte once. With
``short_first`` the first chunk is read by short EF id (``00 B0 80|SFI 00 00``, card-protocol.md
§2.3: the read-only form JSAPDU uses against real cards, offset 0 only), which saves the SELECT EF
for an object of ≤ 256 bytes; a longer object then gets the explicit SELECT EF and the reads from
offset 256 on (nothing relies on the short form having changed the current EF). Any refusal of
the short form falls back to the explicit form, which gives the verdict, and the card is then
read with explicit SELECTs only (``CardProtocol.short_ef_ids``).
"""

from __future__ import annotations

from typing import ClassVar

from kiosk.hardware.card import apdu, tlv
from kiosk.hardware.card.errors import (
    ApduError,
    BadResponseError,
    NotMyNumberCardError,
    PinBlockedError,
    WrongPinError,
)
from kiosk.hardware.card.protocol import CardProtocol

SW_END_OF_FILE_WARNING = 0x6282  # ISO "end of file reached before Le bytes" — data is valid
MAX_OBJECT_SIZE = apdu.MAX_READ_OFFSET + 1


class FileNotAllowedError(PermissionError):
    """A programming error: code asked for a file this application session must never touch."""


class ApplicationSession:
    """One selected card application; subclasses name the AID and the files they may use."""

    aid: ClassVar[bytes]
    name: ClassVar[str]
    allowed_files: ClassVar[frozenset[int]]

    def __init__(self, protocol: CardProtocol) -> None:
        self._protocol = protocol

    def select(self) -> None:
        """SELECT the application; any refusal means this is not a My Number card."""
        _, sw = self._protocol.send(apdu.select_df(self.aid))
        if sw != apdu.StatusWord.OK:
            raise NotMyNumberCardError(f"{self.name} not present (SW {sw:04X})")

    def select_ef(self, fid: int) -> int:
        """SELECT an EF of this application; return the SW (9000 or the refusal)."""
        self._check_allowed(fid)
        _, sw = self._protocol.send(apdu.select_ef(fid))
        return sw

    def read_short_ef(self, fid: int, le: int) -> tuple[bytes, int]:
        """READ BINARY of the first ``le`` bytes of an EF by short EF id; return (data, SW)."""
        self._check_allowed(fid)
        return self._protocol.send(apdu.read_binary_short_ef(fid, 0, le))

    def _check_allowed(self, fid: int) -> None:
        if fid not in self.allowed_files:
            raise FileNotAllowedError(f"{self.name} file {fid:04X} is off limits")

    def _select_ef_ok(self, fid: int) -> None:
        sw = self.select_ef(fid)
        if sw != apdu.StatusWord.OK:
            raise ApduError(sw, b"", f"SELECT {self.name} EF {fid:04X}")

    def read_object(self, fid: int, *, short_first: bool = False) -> bytes:
        """Read one TLV/DER object from an EF: size from its header, ≤ 256-byte reads, no filler."""
        content = self._read_first_by_short_ef_id(fid) if short_first else None
        selected = content is None
        if content is None:
            self._select_ef_ok(fid)
            content = self._read_chunk(fid, 0, apdu.MAX_SHORT_LE)
        size = tlv.object_size(content)
        if size is None:
            raise BadResponseError(f"EF {fid:04X} is shorter than an object header")
        if size > MAX_OBJECT_SIZE:
            raise BadResponseError(f"EF {fid:04X} object size {size} is implausible")
        if len(content) < size and not selected:
            self._select_ef_ok(fid)  # reads past offset 255 need the EF as current EF
        while len(content) < size:
            want = min(apdu.MAX_SHORT_LE, size - len(content))
            chunk = self._read_chunk(fid, len(content), want)
            if not chunk:
                raise BadResponseError(f"EF {fid:04X} ends inside its object")
            content += chunk
        return content[:size]

    def _read_first_by_short_ef_id(self, fid: int) -> bytes | None:
        """The first 256 bytes by short EF id, or None when the card refused the short form."""
        if not self._protocol.short_ef_ids:
            return None
        data, sw = self.read_short_ef(fid, apdu.MAX_SHORT_LE)
        if sw in (apdu.StatusWord.OK, SW_END_OF_FILE_WARNING) and data:
            return data
        self._protocol.short_ef_ids = False
        return None

    def _read_chunk(self, fid: int, offset: int, le: int) -> bytes:
        if offset > apdu.MAX_READ_OFFSET:
            raise BadResponseError(f"EF {fid:04X} object runs past the readable range")
        data, sw = self._protocol.send(apdu.read_binary(offset, le))
        if sw in (apdu.StatusWord.OK, SW_END_OF_FILE_WARNING):
            return data
        if sw == apdu.StatusWord.WRONG_P1_P2:
            raise BadResponseError(f"EF {fid:04X} ends inside its object")
        raise ApduError(sw, data, f"READ BINARY {self.name} EF {fid:04X}")

    def pin_tries(self, fid: int) -> int:
        """Tries left for a PIN, by the case-1 VERIFY that consumes no try."""
        self._select_ef_ok(fid)
        _, sw = self._protocol.send(apdu.verify(None))
        tries = apdu.tries_left(sw)
        if tries is not None:
            return tries
        if sw in apdu.BLOCKED_STATUS_WORDS:
            return 0
        raise ApduError(sw, b"", f"VERIFY status {self.name} {fid:04X}")

    def verify_pin(self, fid: int, secret: bytes) -> None:
        """VERIFY once (never retried): wrong → ``WrongPinError``; blocked → ``PinBlockedError``."""
        self._select_ef_ok(fid)
        _, sw = self._protocol.send(apdu.verify(secret))
        if sw == apdu.StatusWord.OK:
            return
        tries = apdu.tries_left(sw)
        if tries == 0 or sw in apdu.BLOCKED_STATUS_WORDS:
            raise PinBlockedError("PIN blocked")
        if tries is not None:
            raise WrongPinError(tries)
        raise ApduError(sw, b"", f"VERIFY {self.name} {fid:04X}")
