"""Request bodies: read with a size limit, parse JSON strictly, describe for OpenAPI."""

from __future__ import annotations

import json
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request

from server_sync.intake.errors import BodyTooLargeError, MalformedJsonError

M = TypeVar("M", bound=BaseModel)


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing (413) as soon as it exceeds ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise BodyTooLargeError(f"body larger than {limit} bytes")
        except ValueError as err:
            raise MalformedJsonError("bad Content-Length") from err
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(f"body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate member {key!r}")
        result[key] = value
    return result


def parse_model(body: bytes, model: type[M]) -> M:
    """Parse a JSON body into ``model`` (400 bad_request on any problem)."""
    try:
        obj = json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates)
        return model.model_validate(obj, strict=True)
    except (UnicodeDecodeError, ValueError, ValidationError, RecursionError) as err:
        raise MalformedJsonError(f"body is not a valid {model.__name__}") from err


class StrictModel(BaseModel):
    """Base of request/response bodies: unknown members are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EnrolRequest(StrictModel):
    """Body of POST /api/v1/kiosks/enrol."""

    token: str = Field(min_length=1, max_length=200)
    kiosk_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    public_key: str = Field(description="base64 of the raw 32-byte Ed25519 public key")


class EnrolResponse(StrictModel):
    """Answer to a successful enrolment."""

    kiosk_id: str
    key_id: str


class HeartbeatRequest(StrictModel):
    """Body of POST /api/v1/kiosks/heartbeat."""

    backlog: int = Field(ge=0, le=10_000_000)
    dead: int = Field(ge=0, le=10_000_000)
    master_version: str | None = Field(max_length=100)
    app_version: str = Field(max_length=100)
    #: the stand's own state (kiosks before the fleet fields send none of these)
    image_version: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9._+:~-]+$")
    slot: str | None = Field(default=None, max_length=16, pattern=r"^[A-Za-z0-9._-]+$")
    reader: Literal["ok", "missing", "unknown"] | None = None
    printer: Literal["ok", "paper_out", "offline", "missing", "unknown"] | None = None


class FilingResult(StrictModel):
    """Answer to a filing POST that was stored or already known."""

    result: str = Field(description='"accepted" (201) or "duplicate" (200)')
    filing_id: str


class ErrorBody(StrictModel):
    """Every error answer."""

    error: str = Field(description="stable machine-readable code")
    detail: str
    server_time: str | None = Field(
        default=None,
        description="only with clock_skew: the intake's RFC 3339 UTC time, so the kiosk can "
        "show its clock offset",
    )


class ResidentMember(StrictModel):
    """The resident binding inside an envelope."""

    certificate: str = Field(description="base64 DER of the card's user-authentication certificate")
    signature: str = Field(description="base64 RSA PKCS#1 v1.5 SHA-256 signature over the filing")


class EnvelopeBody(StrictModel):
    """The signed filing envelope (docs/protocol.md, Envelope)."""

    version: int = Field(ge=1, le=1)
    kiosk_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    key_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    idempotency_key: str = Field(
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    )
    created_at: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    filing: str = Field(description="standard padded base64 of the filing bytes")
    filing_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    resident: ResidentMember | None
    signature: str = Field(description="base64 Ed25519 signature over the envelope without it")


class ManifestFile(StrictModel):
    """One file of the master set."""

    name: str
    sha256: str
    size: int


class Manifest(StrictModel):
    """GET /api/v1/master/manifest."""

    version: str
    published_at: str
    files: list[ManifestFile]
