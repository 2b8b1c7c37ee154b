"""Kiosk enrolment (one-time token) and heartbeats."""

from __future__ import annotations

import base64
import binascii
import logging

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
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
from server_sync.intake.errors import MalformedJsonError
from server_sync.intake.openapi import error_responses, json_body, kiosk_auth_parameters

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
        )
    )
    return Response(status_code=204)
