"""Command APDU construction (ISO 7816-4 short form), status words and trace redaction.

Only short APDUs are built (Lc ≤ 255, Le ≤ 256): extended length is accepted by the card but not
by every reader (card-protocol.md §4). ``redact`` is the one place where VERIFY data is masked
before anything is logged.
"""

from __future__ import annotations

from enum import IntEnum

# --- class bytes -------------------------------------------------------------------------------
CLA_ISO = 0x00
CLA_PROPRIETARY = 0x80

# --- instructions ------------------------------------------------------------------------------
INS_VERIFY = 0x20
INS_CHANGE_REFERENCE_DATA = 0x24
INS_COMPUTE_SIGNATURE = 0x2A  # with CLA 80: the JPKI "sign with the selected key" command
INS_SELECT = 0xA4
INS_READ_BINARY = 0xB0
INS_GET_RESPONSE = 0xC0

# --- parameters --------------------------------------------------------------------------------
P1_SELECT_BY_DF_NAME = 0x04
P1_SELECT_EF_UNDER_CURRENT_DF = 0x02
P2_SELECT_NO_RESPONSE_DATA = 0x0C
P1_READ_BINARY_SHORT_EF_ID = 0x80  # READ BINARY: P1 = 80 | short EF id, P2 = offset (≤ 255)
P2_KEY_OF_CURRENT_EF = 0x80  # VERIFY / COMPUTE SIGNATURE: the key selected as current EF
P1_SIGN_PKCS1_PAD_ONLY = 0x00  # the card pads (PKCS#1 v1.5 type 1) but does not hash

# --- sizes -------------------------------------------------------------------------------------
MAX_SHORT_LC = 255
MAX_SHORT_LE = 256
MAX_READ_OFFSET = 0x7FFF
MAX_SHORT_EF_ID = 0x1E  # 5-bit short EF ids 1..30 (every EF on this card: 0001..001E)
MAX_SHORT_EF_ID_OFFSET = 0xFF
HEADER_LENGTH = 4  # CLA INS P1 P2

# Instructions whose command data is a secret (PIN / password) and is masked in traces.
SECRET_DATA_INSTRUCTIONS = frozenset({INS_VERIFY, INS_CHANGE_REFERENCE_DATA})
MASK = "**"


class StatusWord(IntEnum):
    """Status words the card stack interprets (16-bit SW1<<8 | SW2)."""

    OK = 0x9000
    WRONG_LENGTH = 0x6700
    SECURITY_STATUS_NOT_SATISFIED = 0x6982
    AUTHENTICATION_METHOD_BLOCKED = 0x6983
    REFERENCE_DATA_BLOCKED = 0x6984
    FILE_NOT_FOUND = 0x6A82
    WRONG_P1_P2 = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00


SW1_MORE_DATA = 0x61  # 61xx: xx more bytes available via GET RESPONSE (T=0)
SW1_WRONG_LE = 0x6C  # 6Cxx: re-send the same command with Le = xx
SW1_COUNTER = 0x63  # 63Cx: verification failed / tries left x
SW2_COUNTER_MASK = 0xF0
SW2_COUNTER_TAG = 0xC0

BLOCKED_STATUS_WORDS = frozenset(
    {StatusWord.REFERENCE_DATA_BLOCKED, StatusWord.AUTHENTICATION_METHOD_BLOCKED}
)


def _encode_le(le: int) -> int:
    if not 1 <= le <= MAX_SHORT_LE:
        raise ValueError(f"short Le must be 1..{MAX_SHORT_LE}, got {le}")
    return 0 if le == MAX_SHORT_LE else le


def build(cla: int, ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None) -> bytes:
    """Build a short command APDU: case 1 (header), 2 (+Le), 3 (+Lc data) or 4 (+Lc data Le)."""
    for name, value in (("CLA", cla), ("INS", ins), ("P1", p1), ("P2", p2)):
        if not 0 <= value <= 0xFF:
            raise ValueError(f"{name} out of range: {value}")
    if len(data) > MAX_SHORT_LC:
        raise ValueError(f"command data too long for a short APDU: {len(data)} bytes")
    apdu = bytes([cla, ins, p1, p2])
    if data:
        apdu += bytes([len(data)]) + data
    if le is not None:
        apdu += bytes([_encode_le(le)])
    return apdu


def with_le(apdu: bytes, le: int) -> bytes:
    """Return ``apdu`` with its Le replaced (or appended) — the 6Cxx correction."""
    header, data, _ = split(apdu)
    return build(header[0], header[1], header[2], header[3], data, le)


def split(apdu: bytes) -> tuple[bytes, bytes, int | None]:
    """Split a short APDU into (header, data, Le) where Le 0 means 256; raises on bad framing."""
    if len(apdu) < HEADER_LENGTH:
        raise ValueError("APDU shorter than its header")
    header, body = apdu[:HEADER_LENGTH], apdu[HEADER_LENGTH:]
    if not body:
        return header, b"", None
    if len(body) == 1:
        return header, b"", body[0] or MAX_SHORT_LE
    lc = body[0]
    if lc == 0:
        raise ValueError("extended-length APDUs are not used")
    if len(body) == 1 + lc:
        return header, body[1:], None
    if len(body) == 2 + lc:
        return header, body[1 : 1 + lc], body[-1] or MAX_SHORT_LE
    raise ValueError("Lc does not match the APDU length")


# --- the commands this stack sends -------------------------------------------------------------


def select_df(aid: bytes) -> bytes:
    """SELECT an application by its DF name (AID), no FCI returned."""
    return build(CLA_ISO, INS_SELECT, P1_SELECT_BY_DF_NAME, P2_SELECT_NO_RESPONSE_DATA, aid)


def select_ef(fid: int) -> bytes:
    """SELECT an EF (file or key reference) under the current application."""
    return build(
        CLA_ISO,
        INS_SELECT,
        P1_SELECT_EF_UNDER_CURRENT_DF,
        P2_SELECT_NO_RESPONSE_DATA,
        fid.to_bytes(2, "big"),
    )


def read_binary(offset: int, le: int) -> bytes:
    """READ BINARY of ``le`` (1..256) bytes at ``offset`` (≤ 0x7FFF) of the current EF."""
    if not 0 <= offset <= MAX_READ_OFFSET:
        raise ValueError(f"READ BINARY offset out of range: {offset}")
    return build(CLA_ISO, INS_READ_BINARY, offset >> 8, offset & 0xFF, le=le)


def read_binary_short_ef(fid: int, offset: int, le: int) -> bytes:
    """READ BINARY of EF ``fid`` by its short EF id (no SELECT EF; offset ≤ 255), §2.3."""
    if not 1 <= fid <= MAX_SHORT_EF_ID:
        raise ValueError(f"EF {fid:04X} has no short EF id")
    if not 0 <= offset <= MAX_SHORT_EF_ID_OFFSET:
        raise ValueError(f"short-EF-id READ BINARY offset out of range: {offset}")
    return build(CLA_ISO, INS_READ_BINARY, P1_READ_BINARY_SHORT_EF_ID | fid, offset, le=le)


def verify(secret: bytes | None = None) -> bytes:
    """VERIFY against the current key EF; ``None`` gives the 4-byte case-1 tries query."""
    return build(CLA_ISO, INS_VERIFY, 0x00, P2_KEY_OF_CURRENT_EF, secret or b"")


def compute_signature(digest_info: bytes) -> bytes:
    """JPKI signature with the current key EF: the card PKCS#1-pads ``digest_info`` and signs."""
    return build(
        CLA_PROPRIETARY,
        INS_COMPUTE_SIGNATURE,
        P1_SIGN_PKCS1_PAD_ONLY,
        P2_KEY_OF_CURRENT_EF,
        digest_info,
        le=MAX_SHORT_LE,
    )


def get_response(cla: int, le: int) -> bytes:
    """GET RESPONSE for a 61xx answer (``le`` 1..256)."""
    return build(cla, INS_GET_RESPONSE, 0x00, 0x00, le=le)


# --- status words ------------------------------------------------------------------------------


def tries_left(sw: int) -> int | None:
    """The retry counter in a 63Cx status word, else ``None``."""
    if sw >> 8 == SW1_COUNTER and sw & SW2_COUNTER_MASK == SW2_COUNTER_TAG:
        return sw & 0x0F
    return None


def redact(apdu: bytes) -> str:
    """Hex of a command APDU for traces, with VERIFY / CHANGE REFERENCE DATA data masked."""
    if len(apdu) > HEADER_LENGTH + 1 and apdu[1] in SECRET_DATA_INSTRUCTIONS:
        lc = apdu[HEADER_LENGTH]
        masked = " ".join([MASK] * lc)
        tail = apdu[HEADER_LENGTH + 1 + lc :]
        parts = [apdu[: HEADER_LENGTH + 1].hex(" "), masked]
        if tail:
            parts.append(tail.hex(" "))
        return " ".join(parts).upper()
    return apdu.hex(" ").upper()
