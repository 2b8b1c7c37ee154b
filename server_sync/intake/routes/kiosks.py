"""Kiosk enrolment (one-time token) and heartbeats."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from server_sync.intake import store
from server_sync.intake.bodies import (
    EnrolRequest,
    EnrolResponse,
    HeartbeatRequest,
    parse_model,
    read_body,
)
from server_sync.intake.context import context_of
from server_sync.intake.deps import VerifiedKiosk
from server_sync.intake.errors import MalformedJsonError, MissingAuthError
from server_sync.intake.openapi import error_responses, json_body, kiosk_auth_parameters
from server_sync.intake.passwords import DUMMY_HASH, verify_password

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/kiosks", tags=["kiosks"])

ED25519_RAW_KEY_BYTES = 32
ENROL_BODY_LIMIT = 4096


@router.post(
    "/enrol",
    status_code=201,
    summary="Enrol a kiosk key with a one-time token",
    response_model=EnrolResponse,
    responses=error_responses(400, 401, 413),
    openapi_extra=json_body(EnrolRequest),
)
async def enrol(request: Request) -> JSONResponse:
    """Consume a staff-issued token bound to this kiosk id and store the kiosk's public key."""
    ctx = context_of(request)
    body = await read_body(request, ENROL_BODY_LIMIT)
    req = parse_model(body, EnrolRequest)
    try:
        raw_key = base64.b64decode(req.public_key.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as err:
        raise MalformedJsonError("public_key is not base64") from err
    if len(raw_key) != ED25519_RAW_KEY_BYTES:
        raise MalformedJsonError("public_key must be a raw 32-byte Ed25519 key")
    kiosk = await run_in_threadpool(
        store.enrol_kiosk, ctx.engine, req.token, req.kiosk_id, raw_key, ctx.now()
    )
    log.info("kiosk %s enrolled with key %s", kiosk.kiosk_id, kiosk.key_id)
    return JSONResponse({"kiosk_id": kiosk.kiosk_id, "key_id": kiosk.key_id}, status_code=201)


@router.post(
    "/heartbeat",
    status_code=204,
    summary="Report outbox backlog and master version",
    responses=error_responses(400, 401, 403, 413),
    openapi_extra={**json_body(HeartbeatRequest), "parameters": kiosk_auth_parameters()},
)
async def heartbeat(request: Request, auth: VerifiedKiosk) -> Response:
    """Store what the kiosk reports (shown in the console's fleet view)."""
    ctx = context_of(request)
    beat = parse_model(auth.body, HeartbeatRequest)
    await run_in_threadpool(
        lambda: store.record_heartbeat(
            ctx.engine,
            auth.kiosk.kiosk_id,
            now=ctx.now(),
            backlog=beat.backlog,
            dead=beat.dead,
            master_version=beat.master_version,
            app_version=beat.app_version,
            stand=_stand_of(beat),
        )
    )
    return Response(status_code=204)


def _stand_of(beat: HeartbeatRequest) -> store.StandState | None:
    """The stand's fields, or None for a kiosk that sent none (older software)."""
    fields = (beat.image_version, beat.slot, beat.reader, beat.printer)
    if all(value is None for value in fields):
        return None
    return store.StandState(*fields)


#: the technician's batch (``python -m kiosk.tech batch``) creates tokens with an admin account
BATCH_ROLE = "admin"
TOKEN_BODY_LIMIT = 1024
KIOSK_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def _admin_of(request: Request) -> str:
    """The username of a valid, enabled admin account in HTTP Basic auth, else MissingAuthError."""
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        username = password = ""
    with context_of(request).engine.connect() as conn:
        row = conn.execute(
            text("SELECT password_hash, disabled, role FROM staff WHERE username = :u"),
            {"u": username[:64]},
        ).first()
    ok = verify_password(password, str(row.password_hash) if row is not None else DUMMY_HASH)
    if scheme.lower() != "basic" or not ok or row is None or row.disabled \
            or row.role != BATCH_ROLE:  # fmt: skip
        raise MissingAuthError("an enabled admin account (HTTP Basic) is required")
    return username


@router.post(
    "/tokens",
    status_code=201,
    summary="Create a one-time enrolment token for a kiosk id (admin account, HTTP Basic)",
    responses=error_responses(400, 401, 413),
)
async def create_token(request: Request) -> JSONResponse:
    """Body ``{"kiosk_id": "kiosk-001"}`` → ``{"kiosk_id", "token"}``; only its hash is stored."""
    ctx = context_of(request)
    username = await run_in_threadpool(_admin_of, request)
    body = await read_body(request, TOKEN_BODY_LIMIT)
    try:
        kiosk_id = json.loads(body)["kiosk_id"]
    except (ValueError, KeyError, TypeError) as err:
        raise MalformedJsonError('body must be {"kiosk_id": "..."}') from err
    if not isinstance(kiosk_id, str) or not re.match(KIOSK_ID_PATTERN, kiosk_id):
        raise MalformedJsonError("kiosk_id must be 1-64 characters of A-Z a-z 0-9 . _ -")
    token = await run_in_threadpool(
        lambda: store.create_enrol_token(
            ctx.engine, kiosk_id, ttl=ctx.settings.token_ttl, now=ctx.now(),
            actor=f"staff:{username}",
        )
    )  # fmt: skip
    log.info("enrolment token created for kiosk %s by %s", kiosk_id, username)
    return JSONResponse({"kiosk_id": kiosk_id, "token": token}, status_code=201)
