"""``POST /api/v1/seal-bindings/lookup`` for the ward's counter systems (HTTP Basic staff account).

Body: ``{"certificate": "<PEM or base64 DER>"}`` or ``{"issuer": "<RFC 4514>", "serial": "<hex>"}``;
answer ``{"status": "active"|"revoked"|"expired"|"ended"|"unknown", "seal_number": …}``. Any
enabled staff account may look up (give the counter system an account of its own). A verified
password is remembered for a short while (keyed by a hash of the credentials *and* the stored
hash), so a busy counter does not pay scrypt per lookup; the account row is still read on every
request, so disabling the account or changing its password takes effect at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import threading
import time

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import Connection, text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from server_sync.intake.bodies import StrictModel, parse_model, read_body
from server_sync.intake.context import IntakeContext, context_of
from server_sync.intake.errors import MalformedJsonError, MissingAuthError
from server_sync.intake.openapi import error_responses
from server_sync.intake.passwords import DUMMY_HASH, verify_password

from .certs import CertId, normalise_issuer, normalise_serial
from .errors import BindingError
from .service import lookup_certificate, lookup_serial

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/seal-bindings", tags=["seal-bindings"])

LOOKUP_BODY_LIMIT = 32 * 1024
#: how long a verified password is remembered (seconds)
VERIFIED_TTL_S = 300.0
VERIFIED_MAX = 256


class LookupRequest(StrictModel):
    """Body of POST /api/v1/seal-bindings/lookup (a certificate, or issuer + serial)."""

    certificate: str | None = Field(default=None, max_length=LOOKUP_BODY_LIMIT)
    issuer: str | None = Field(default=None, max_length=1024)
    serial: str | None = Field(default=None, max_length=80)


class LookupAnswer(StrictModel):
    """The binding's status; the 印鑑登録番号 only while active."""

    status: str
    seal_number: str | None


class _Verified:
    """(credential digest, stored hash) pairs whose scrypt check passed recently."""

    def __init__(self) -> None:
        self._seen: dict[tuple[bytes, str], float] = {}
        self._lock = threading.Lock()

    def known(self, key: tuple[bytes, str]) -> bool:
        with self._lock:
            until = self._seen.get(key)
            return until is not None and until > time.monotonic()

    def remember(self, key: tuple[bytes, str]) -> None:
        with self._lock:
            if len(self._seen) >= VERIFIED_MAX:
                self._seen.clear()
            self._seen[key] = time.monotonic() + VERIFIED_TTL_S


_VERIFIED = _Verified()


def staff_of(conn: Connection, authorization: str) -> str:
    """The username of an enabled staff account in HTTP Basic auth, else MissingAuthError."""
    scheme, _, encoded = authorization.partition(" ")
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        username = password = ""
    row = conn.execute(
        text("SELECT password_hash, disabled FROM staff WHERE username = :u"),
        {"u": username[:64]},
    ).first()
    stored = str(row.password_hash) if row is not None else DUMMY_HASH
    digest = hmac.new(stored.encode(), f"{username}:{password}".encode(), hashlib.sha256).digest()
    key = (digest, stored)
    ok = _VERIFIED.known(key) or verify_password(password, stored)
    if scheme.lower() != "basic" or not ok or row is None or row.disabled:
        raise MissingAuthError("an enabled staff account (HTTP Basic) is required")
    _VERIFIED.remember(key)
    return username


def _answer(ctx: IntakeContext, authorization: str, body: bytes) -> dict[str, str | None]:
    now = ctx.now()
    try:
        with ctx.engine.connect() as conn:  # one connection: the account, then the lookup
            staff_of(conn, authorization)
            req = parse_model(body, LookupRequest)
            if req.certificate is not None and req.issuer is None and req.serial is None:
                found = lookup_certificate(conn, req.certificate.encode("ascii"), ctx.roots, now)
            elif req.certificate is None and req.issuer is not None and req.serial is not None:
                cert_id = CertId(normalise_issuer(req.issuer), normalise_serial(req.serial))
                found = lookup_serial(conn, cert_id, now)
            else:
                raise MalformedJsonError('give "certificate", or "issuer" and "serial"')
    except (BindingError, UnicodeEncodeError) as err:
        raise MalformedJsonError(f"certificate or serial unreadable: {err}") from err
    return found.as_json()


@router.post(
    "/lookup",
    summary="Status and 印鑑登録番号 of a card certificate (staff account, HTTP Basic)",
    response_model=LookupAnswer,
    responses=error_responses(400, 401, 413),
    include_in_schema=False,  # not the kiosk protocol (docs/openapi.json); docs/card-procedures.md
)
async def lookup(request: Request) -> JSONResponse:
    """A certificate (PEM / base64 DER) or issuer + serial → ``{"status", "seal_number"}``."""
    ctx = context_of(request)
    body = await read_body(request, LOOKUP_BODY_LIMIT)
    answer = await run_in_threadpool(_answer, ctx, request.headers.get("authorization", ""), body)
    return JSONResponse(answer)
