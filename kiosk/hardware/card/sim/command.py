"""Parsing of command APDUs as the simulated card receives them (ISO 7816-4 cases 1–4)."""

from __future__ import annotations

from dataclasses import dataclass

SHORT_LE_MAX = 256
EXTENDED_LE_MAX = 65536
HEADER = 4


class MalformedApduError(ValueError):
    """The bytes are not a well-formed command APDU (the card answers 6700)."""


@dataclass(frozen=True, slots=True)
class Command:
    """One parsed command APDU; ``le`` is the expected length (0 already mapped to 256/65536)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    extended: bool = False

    @property
    def case(self) -> int:
        """ISO 7816-4 case: 1 (nothing), 2 (Le), 3 (data), 4 (data and Le)."""
        if self.data:
            return 4 if self.le is not None else 3
        return 2 if self.le is not None else 1

    @classmethod
    def parse(cls, apdu: bytes) -> Command:
        """Decode the bytes; raises ``MalformedApduError`` for impossible lengths."""
        if len(apdu) < HEADER:
            raise MalformedApduError("shorter than 4 bytes")
        cla, ins, p1, p2 = apdu[:HEADER]
        body = apdu[HEADER:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or SHORT_LE_MAX)
        if body[0] != 0:
            lc = body[0]
            if len(body) == 1 + lc:
                return cls(cla, ins, p1, p2, data=body[1:])
            if len(body) == 2 + lc:
                return cls(cla, ins, p1, p2, data=body[1:-1], le=body[-1] or SHORT_LE_MAX)
            raise MalformedApduError("Lc does not match the length")
        return cls._parse_extended(cla, ins, p1, p2, body)

    @classmethod
    def _parse_extended(cls, cla: int, ins: int, p1: int, p2: int, body: bytes) -> Command:
        if len(body) == 3:
            le = int.from_bytes(body[1:3], "big") or EXTENDED_LE_MAX
            return cls(cla, ins, p1, p2, le=le, extended=True)
        if len(body) < 3:
            raise MalformedApduError("truncated extended length")
        lc = int.from_bytes(body[1:3], "big")
        if lc == 0:
            raise MalformedApduError("extended Lc of zero")
        if len(body) == 3 + lc:
            return cls(cla, ins, p1, p2, data=body[3:], extended=True)
        if len(body) == 5 + lc:
            le = int.from_bytes(body[-2:], "big") or EXTENDED_LE_MAX
            return cls(cla, ins, p1, p2, data=body[3:-2], le=le, extended=True)
        raise MalformedApduError("extended Lc does not match the length")
