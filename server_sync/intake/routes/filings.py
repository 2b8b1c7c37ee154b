"""POST /api/v1/filings: verify the envelope in the protocol's order, dedupe, parse, store."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from server_sync.envelope import (
    Envelope,
    check_created_at,
    parse_envelope,
    verify_filing_digest,
    verify_kiosk_signature,
)
from server_sync.intake import store
from server_sync.intake.bodies import EnvelopeBody, FilingResult, read_body
from server_sync.intake.clock import stamp, stamp_seconds
from server_sync.intake.context import IntakeContext, context_of
from server_sync.intake.deps import active_kiosk, check_signed_headers, kiosk_public_key
from server_sync.intake.errors import MissingAuthError
from server_sync.intake.openapi import error_responses, json_body, kiosk_auth_parameters
from server_sync.intake.records import (
    Filing,
    FilingSource,
    FilingStatus,
    Kiosk,
    PostResult,
)
from server_sync.intake.store.search_keys import parsed_index_params
from server_sync.intake.verify import ResidentCheck, check_resident, parse_filing
from server_sync.request_auth import HEADER_KIOSK_ID

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["filings"])
#: the filing POST's path (also matched by the app's ASGI fast path)
FILINGS_PATH = "/api/v1/filings"
JSON_MEDIA_TYPE = "application/json"
JSON_CONTENT_TYPE = (b"content-type", JSON_MEDIA_TYPE.encode("latin-1"))


def _envelope_key(ctx: IntakeContext, kiosk: Kiosk, envelope: Envelope) -> Ed25519PublicKey:
    """The key that signed the envelope: the current one, or an older key of this kiosk that
    was valid at the envelope's created_at (filings queued before a re-enrolment)."""
    if envelope.key_id != kiosk.key_id:
        older = store.kiosk_key_at(
            ctx.engine, kiosk.kiosk_id, envelope.key_id, stamp(envelope.created_at)
        )
        if older is not None:
            return kiosk_public_key(older)
    return kiosk_public_key(kiosk.public_key)


@dataclass(frozen=True, slots=True)
class VerifiedPost:
    """A filing POST that passed every check of docs/protocol.md (not yet deduplicated)."""

    kiosk: Kiosk
    envelope: Envelope
    resident: ResidentCheck
    #: the digest stored under the envelope's idempotency key (None: a new key)
    stored_sha256: str | None
    now: datetime


async def verify_post_async(
    ctx: IntakeContext, headers: Mapping[str, str], method: str, path: str, body: bytes
) -> VerifiedPost:
    """Every check in the protocol's order, on the event loop (PostgreSQL's read is awaited,
    not blocking); raises the typed error of the first that fails.

    One read gives the kiosk row and the idempotency key's digest; the key is looked at only
    after the checks (a race with a concurrent insert is settled by the group commit).
    """
    envelope = parse_envelope(body, max_bytes=ctx.settings.max_body_bytes)
    row, stored_sha256 = await store.kiosk_and_digest_async(
        ctx.engine, envelope.kiosk_id, envelope.idempotency_key
    )
    return _verify_read(ctx, headers, method, path, body, envelope, row, stored_sha256)


def _verify_read(
    ctx: IntakeContext,
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    envelope: Envelope,
    row: Kiosk | None,
    stored_sha256: str | None,
) -> VerifiedPost:
    kiosk = active_kiosk(row)
    verify_kiosk_signature(envelope, _envelope_key(ctx, kiosk, envelope))
    if headers.get(HEADER_KIOSK_ID) != envelope.kiosk_id:
        raise MissingAuthError("X-Kiosk-Id must name the envelope's kiosk")
    check_signed_headers(ctx, kiosk, headers, method, path, body)
    now = ctx.now()
    check_created_at(
        envelope,
        now,
        max_age=ctx.settings.created_at_max_age,
        max_future=ctx.settings.created_at_max_future,
    )
    verify_filing_digest(envelope)
    resident = check_resident(
        envelope, ctx.roots, now, reject_untrusted=ctx.settings.reject_untrusted_chain
    )
    return VerifiedPost(kiosk, envelope, resident, stored_sha256, now)


def filing_to_store(post: VerifiedPost, body: bytes) -> tuple[Filing, dict[str, Any]]:
    """The row of a new filing and its search keys (the filing parsed and re-validated once)."""
    envelope, resident = post.envelope, post.resident
    parsed = parse_filing(envelope.filing, envelope.idempotency_key, post.now)
    filing = Filing(
        filing_id=envelope.idempotency_key,
        kiosk_id=post.kiosk.kiosk_id,
        received_at=stamp(post.now),
        created_at=stamp_seconds(envelope.created_at),  # envelope.format_timestamp's text
        envelope=body.decode("utf-8"),
        filing_json=envelope.filing.decode("utf-8"),
        filing_sha256=envelope.filing_sha256,
        kiosk_signature_ok=True,
        resident_binding=resident.state,
        resident_cert_serial=resident.certificate_serial,
        resident_cert_issuer=resident.certificate_issuer,
        resident_cert_not_after=resident.certificate_not_after,
        status=FilingStatus.RECEIVED,
        reject_reason=None,
        decided_at=None,
        decided_by=None,
        source=FilingSource.POSTED,
    )
    return filing, parsed_index_params(filing.filing_id, parsed)


@router.post(
    "/filings",
    status_code=201,
    summary="Deliver one signed filing envelope",
    response_model=FilingResult,
    responses={
        200: {"model": FilingResult, "description": "already stored (duplicate)"},
        **error_responses(400, 401, 403, 409, 413, 422),
    },
    openapi_extra={**json_body(EnvelopeBody), "parameters": kiosk_auth_parameters()},
)
async def post_filing(request: Request) -> Response:
    """Verify and store a filing as 仮登録 (201 accepted, 200 duplicate)."""
    answer = await handle_filing_post(context_of(request), request)
    return Response(answer.body, status_code=answer.status, media_type=JSON_MEDIA_TYPE)


@dataclass(frozen=True, slots=True)
class FilingAnswer:
    """The answer to a stored or duplicate filing, rendered once: the bytes and raw headers a
    ``JSONResponse`` of ``{"result", "filing_id"}`` would send (the fast path sends them as is)."""

    status: int
    body: bytes
    headers: list[tuple[bytes, bytes]]

    @classmethod
    def of(cls, result: PostResult, filing_id: str) -> FilingAnswer:
        """201 for a stored filing, 200 for a duplicate (``JSONResponse``'s rendering)."""
        body = json.dumps(
            {"result": result.value, "filing_id": filing_id},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        headers = [(b"content-length", str(len(body)).encode("latin-1")), JSON_CONTENT_TYPE]
        return cls(201 if result is PostResult.ACCEPTED else 200, body, headers)


async def handle_filing_post(
    ctx: IntakeContext, request: Request, path: str | None = None
) -> FilingAnswer:
    """The filing POST itself (the route above, or the app's fast path straight from ASGI,
    which passes the ``path`` it matched instead of building the request's URL)."""
    body = await read_body(request, ctx.settings.max_body_bytes)
    # the checks run here on the event loop (CPU only, and one indexed read); only the batch
    # commit goes to a thread, once per batch (see GroupCommitter.submit)
    path = request.url.path if path is None else path
    post = await verify_post_async(ctx, request.headers, request.method, path, body)
    if store.contact_due(post.kiosk, post.now):  # a write: at most every few seconds per kiosk
        await run_in_threadpool(store.record_contact_of, ctx.engine, post.kiosk, post.now)
    filing_id = post.envelope.idempotency_key
    result = store.digest_outcome(post.stored_sha256, post.envelope.filing_sha256)
    if result is None:
        filing, keys = filing_to_store(post, body)
        result = await ctx.filings.submit(filing, keys)
    # DEBUG: a line per request at INFO cost a tenth of the intake's CPU under load; stored
    # filings are logged at INFO once per group commit (and audited)
    log.debug("filing %s: %s", filing_id, result.value)
    return FilingAnswer.of(result, filing_id)
