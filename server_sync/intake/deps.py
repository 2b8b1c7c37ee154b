"""Kiosk authentication: the signed X-Kiosk-* headers are checked before a body is trusted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from server_sync.intake import store
from server_sync.intake.bodies import read_body
from server_sync.intake.context import IntakeContext, context_of
from server_sync.intake.ed25519 import SodiumEd25519PublicKey
from server_sync.intake.errors import MissingAuthError, RevokedKioskError, UnknownKioskError
from server_sync.intake.records import Kiosk
from server_sync.request_auth import (
    HEADER_KIOSK_ID,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    verify_request,
)

MAX_HEADER_CHARS = 200
#: parsed kiosk keys kept (keyed by the key bytes: revocation is still read from the database)
KEY_CACHE_SIZE = 4096


@lru_cache(maxsize=KEY_CACHE_SIZE)
def kiosk_public_key(raw: bytes) -> Ed25519PublicKey:
    """The Ed25519 key object for an enrolled kiosk's raw 32 bytes (parsed once per key;
    verified by libsodium, see :mod:`server_sync.intake.ed25519`)."""
    return SodiumEd25519PublicKey(raw)


@dataclass(frozen=True, slots=True)
class AuthenticatedRequest:
    """A request whose headers verified against an enrolled, unrevoked kiosk key."""

    kiosk: Kiosk
    body: bytes


def active_kiosk(kiosk: Kiosk | None) -> Kiosk:
    """The kiosk if enrolled and not revoked (403 unknown_kiosk / revoked_kiosk otherwise)."""
    if kiosk is None:
        raise UnknownKioskError("kiosk is not enrolled")
    if kiosk.revoked:
        raise RevokedKioskError("kiosk was revoked")
    return kiosk


def known_kiosk(ctx: IntakeContext, kiosk_id: str) -> Kiosk:
    """The enrolled kiosk (403 unknown_kiosk / revoked_kiosk otherwise)."""
    return active_kiosk(store.get_kiosk(ctx.engine, kiosk_id))


def check_signed_headers(
    ctx: IntakeContext,
    kiosk: Kiosk,
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
) -> None:
    """Verify X-Kiosk-Timestamp (±window) and X-Kiosk-Signature with the kiosk's key."""
    timestamp = headers.get(HEADER_TIMESTAMP)
    signature = headers.get(HEADER_SIGNATURE)
    if not timestamp or not signature:
        raise MissingAuthError("X-Kiosk-Timestamp and X-Kiosk-Signature are required")
    if len(timestamp) > MAX_HEADER_CHARS or len(signature) > MAX_HEADER_CHARS:
        raise MissingAuthError("authentication header too long")
    verify_request(
        kiosk_public_key(kiosk.public_key),
        method,
        path,
        body,
        timestamp,
        signature,
        ctx.now(),
        window=ctx.settings.request_window,
    )


def authenticate(
    ctx: IntakeContext, headers: Mapping[str, str], method: str, path: str, body: bytes
) -> Kiosk:
    """Resolve X-Kiosk-Id, verify the signed headers, note the contact."""
    kiosk_id = headers.get(HEADER_KIOSK_ID)
    if not kiosk_id or len(kiosk_id) > MAX_HEADER_CHARS:
        raise MissingAuthError("X-Kiosk-Id is required")
    kiosk = known_kiosk(ctx, kiosk_id)
    check_signed_headers(ctx, kiosk, headers, method, path, body)
    store.record_contact_of(ctx.engine, kiosk, ctx.now())
    return kiosk


async def verified_kiosk(request: Request) -> AuthenticatedRequest:
    """FastAPI dependency: read the body (size-limited) and authenticate the kiosk."""
    ctx = context_of(request)
    body = await read_body(request, ctx.settings.max_body_bytes)
    kiosk = await run_in_threadpool(
        authenticate, ctx, request.headers, request.method, request.url.path, body
    )
    return AuthenticatedRequest(kiosk, body)


VerifiedKiosk = Annotated[AuthenticatedRequest, Depends(verified_kiosk)]
