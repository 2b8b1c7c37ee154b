"""A minimal IPP/1.1 client over HTTP: Print-Job and Get-Job-Attributes (RFC 8010/8011).

Why not ``lp``/``lpstat`` or pycups: the intake talks to one configured queue URI; two operations
encode in ~100 lines of standard-library code, return the job id and ``job-state`` as typed
values (no parsing of localised command output, no C extension, no CUPS client config or
``~/.cups``), and work the same against a remote CUPS or a printer that speaks IPP itself.
"""

from __future__ import annotations

import http.client
import itertools
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from urllib.parse import urlsplit

from .errors import PrinterError

IPP_VERSION = (2, 0)
CONTENT_TYPE = "application/ipp"
DEFAULT_PORT = 631
TIMEOUT_S = 10.0
MAX_RESPONSE_BYTES = 1024 * 1024
STATUS_OK_MAX = 0x00FF  # successful-ok … successful-ok-events-complete


class Operation(IntEnum):
    """IPP operation ids used here."""

    PRINT_JOB = 0x0002
    GET_JOB_ATTRIBUTES = 0x0009


class Tag(IntEnum):
    """Delimiter and value tags (RFC 8010 §3.5)."""

    OPERATION = 0x01
    JOB = 0x02
    END = 0x03
    PRINTER = 0x04
    UNSUPPORTED = 0x05
    INTEGER = 0x21
    BOOLEAN = 0x22
    ENUM = 0x23
    TEXT = 0x41
    NAME = 0x42
    KEYWORD = 0x44
    URI = 0x45
    CHARSET = 0x47
    LANGUAGE = 0x48
    MIME = 0x49


class JobState(IntEnum):
    """``job-state`` (RFC 8011 §5.3.7)."""

    PENDING = 3
    PENDING_HELD = 4
    PROCESSING = 5
    PROCESSING_STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9

    @property
    def label(self) -> str:
        """``pending``, ``processing``, ``completed`` … (the IPP keyword)."""
        return self.name.lower().replace("_", "-")

    @property
    def final(self) -> bool:
        """Whether the job will not change any more."""
        return self >= JobState.CANCELED


_INTEGER_TAGS = frozenset({Tag.INTEGER, Tag.ENUM})
_request_ids = itertools.count(1)

Value = int | bool | str | bytes
Attribute = tuple[Tag, str, Value]


def _value_bytes(tag: Tag, value: Value) -> bytes:
    if tag in _INTEGER_TAGS:
        return struct.pack(">i", int(value))
    if tag is Tag.BOOLEAN:
        return b"\x01" if value else b"\x00"
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def encode_request(
    operation: Operation,
    operation_attributes: Iterable[Attribute],
    job_attributes: Iterable[Attribute] = (),
    request_id: int | None = None,
) -> bytes:
    """An IPP request header and attribute groups (the document, if any, follows it)."""
    rid = next(_request_ids) if request_id is None else request_id
    out = bytearray(struct.pack(">BBHI", *IPP_VERSION, operation, rid))
    for group, attributes in ((Tag.OPERATION, operation_attributes), (Tag.JOB, job_attributes)):
        items = list(attributes)
        if not items and group is Tag.JOB:
            continue
        out.append(group)
        for tag, name, value in items:
            raw_name, raw_value = name.encode("ascii"), _value_bytes(tag, value)
            out += struct.pack(">BH", tag, len(raw_name)) + raw_name
            out += struct.pack(">H", len(raw_value)) + raw_value
    out.append(Tag.END)
    return bytes(out)


@dataclass(frozen=True, slots=True)
class Response:
    """A decoded IPP response: status and every attribute (first value of each, by name)."""

    status: int
    request_id: int
    attributes: dict[str, Value]

    @property
    def ok(self) -> bool:
        """Whether the status is one of the successful-ok codes."""
        return self.status <= STATUS_OK_MAX


def decode_response(data: bytes) -> Response:
    """Parse an IPP response (PrinterError on truncated or malformed bytes)."""
    try:
        _major, _minor, status, rid = struct.unpack_from(">BBHI", data, 0)
        pos, attributes, name = 8, {}, ""
        while True:
            tag = data[pos]
            pos += 1
            if tag == Tag.END:
                break
            if tag < 0x10:  # a new attribute group
                continue
            (name_len,) = struct.unpack_from(">H", data, pos)
            pos += 2
            if name_len:
                name = data[pos : pos + name_len].decode("ascii")
            pos += name_len
            (value_len,) = struct.unpack_from(">H", data, pos)
            pos += 2
            raw = data[pos : pos + value_len]
            if len(raw) != value_len:
                raise ValueError("truncated value")
            pos += value_len
            if name_len == 0 and name in attributes:
                continue  # an additional value of a multi-valued attribute: keep the first
            attributes[name] = _decoded(tag, raw)
    except (struct.error, IndexError, ValueError, UnicodeDecodeError) as err:
        raise PrinterError(f"malformed IPP response: {err}") from err
    return Response(status, rid, attributes)


def _decoded(tag: int, raw: bytes) -> Value:
    if tag in (Tag.INTEGER, Tag.ENUM) and len(raw) == 4:
        return int(struct.unpack(">i", raw)[0])
    if tag == Tag.BOOLEAN and len(raw) == 1:
        return raw != b"\x00"
    if 0x40 <= tag <= 0x4F:
        return raw.decode("utf-8")
    return raw


def http_target(uri: str) -> tuple[str, int, str, bool]:
    """``ipp://host:631/printers/q`` → (host, port, path, tls); ``ipps``/``https`` use TLS."""
    parts = urlsplit(uri)
    if parts.scheme not in ("ipp", "ipps", "http", "https") or not parts.hostname:
        raise PrinterError(f"not an IPP queue URI: {uri!r}")
    tls = parts.scheme in ("ipps", "https")
    return parts.hostname, parts.port or DEFAULT_PORT, parts.path or "/", tls


def post(uri: str, body: bytes, timeout_s: float = TIMEOUT_S) -> Response:
    """POST one IPP request to the queue and decode the answer (PrinterError on any failure)."""
    host, port, path, tls = http_target(uri)
    conn_type = http.client.HTTPSConnection if tls else http.client.HTTPConnection
    conn = conn_type(host, port, timeout=timeout_s)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": CONTENT_TYPE})
        answer = conn.getresponse()
        data = answer.read(MAX_RESPONSE_BYTES + 1)
    except (OSError, http.client.HTTPException) as err:
        raise PrinterError(f"cannot reach the printer queue: {err}") from err
    finally:
        conn.close()
    if answer.status != http.client.OK:
        raise PrinterError(f"the printer queue answered HTTP {answer.status}", answer.status)
    if len(data) > MAX_RESPONSE_BYTES:
        raise PrinterError("IPP response too large")
    return decode_response(data)


def _common(uri: str, user: str) -> list[Attribute]:
    return [
        (Tag.CHARSET, "attributes-charset", "utf-8"),
        (Tag.LANGUAGE, "attributes-natural-language", "ja"),
        (Tag.URI, "printer-uri", uri),
        (Tag.NAME, "requesting-user-name", user),
    ]


def _checked(response: Response, what: str) -> Response:
    if not response.ok:
        message = response.attributes.get("status-message", "")
        message = message if isinstance(message, str) else ""
        raise PrinterError(
            f"{what} refused: IPP status 0x{response.status:04x} {message}", response.status
        )
    return response


def print_job(
    uri: str,
    document: bytes,
    *,
    job_name: str,
    user: str,
    document_format: str = "image/png",
    ppi: int | None = None,
) -> int:
    """Print-Job: send ``document`` to the queue; the job id CUPS assigned."""
    operation = [
        *_common(uri, user),
        (Tag.NAME, "job-name", job_name),
        (Tag.MIME, "document-format", document_format),
    ]
    job: list[Attribute] = [(Tag.KEYWORD, "print-scaling", "none")]
    if ppi is not None:  # CUPS' image filters: print the image at its own resolution
        job.append((Tag.INTEGER, "ppi", ppi))
    response = _checked(
        post(uri, encode_request(Operation.PRINT_JOB, operation, job) + document), "Print-Job"
    )
    job_id = response.attributes.get("job-id")
    if not isinstance(job_id, int) or isinstance(job_id, bool):
        raise PrinterError("Print-Job answer carries no job-id")
    return job_id


@dataclass(frozen=True, slots=True)
class JobStatus:
    """What Get-Job-Attributes tells about one job."""

    job_id: int
    state: JobState
    reasons: str
    message: str


def job_status(uri: str, job_id: int, *, user: str, timeout_s: float = TIMEOUT_S) -> JobStatus:
    """Get-Job-Attributes: the job's state, first state reason and message."""
    operation = [
        *_common(uri, user),
        (Tag.INTEGER, "job-id", job_id),
        (Tag.KEYWORD, "requested-attributes", "job-state"),
        (Tag.KEYWORD, "", "job-state-reasons"),
        (Tag.KEYWORD, "", "job-state-message"),
    ]
    response = _checked(
        post(uri, encode_request(Operation.GET_JOB_ATTRIBUTES, operation), timeout_s),
        "Get-Job-Attributes",
    )
    state = response.attributes.get("job-state")
    if not isinstance(state, int) or state not in JobState._value2member_map_:
        raise PrinterError(f"job {job_id}: no valid job-state in the answer")
    reasons = response.attributes.get("job-state-reasons", "")
    message = response.attributes.get("job-state-message", "")
    return JobStatus(job_id, JobState(state), str(reasons), str(message))
