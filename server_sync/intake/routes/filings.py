"""POST /api/v1/filings: verify the envelope in the protocol's order, dedupe, parse, store."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
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
from server_sync.intake.store.group_commit import RecheckNeeded
from server_sync.intake.store.search_keys import parsed_index_params
from server_sync.intake.verify import ResidentCheck, check_resident, parse_filing
from server_sync.request_auth import HEADER_KIOSK_ID

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["filings"])
#: the filing POST's path (also matched by the app's ASGI fast path)
FILINGS_PATH = "/api/v1/filings"
JSON_MEDIA_TYPE = "application/json"
JSON_CONTENT_TYPE = (b"content-type", JSON_MEDIA_TYPE.encode("latin-1"))
#: kiosk rows kept per process for the guarded POST (more kiosks: the kept ones are dropped)
MAX_KIOSK_HINTS = 10_000
#: ``json.dumps(…, ensure_ascii=False, separators=(",", ":"))`` without an encoder per answer
_ANSWER_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


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
    _keep_hint(ctx, envelope.kiosk_id, row)
    return _verify_read(ctx, headers, method, path, body, envelope, row, stored_sha256)


def _keep_hint(ctx: IntakeContext, kiosk_id: str, row: Kiosk | None) -> None:
    """Keep the kiosk row just read for the next POSTs of this kiosk (see :func:`_guarded_post`)."""
    hints = ctx.filings.kiosk_hints
    if not ctx.filings.guards:
        return
    if row is None or row.revoked:
        hints.pop(kiosk_id, None)
        return
    if len(hints) >= MAX_KIOSK_HINTS and kiosk_id not in hints:
        hints.clear()
    hints[kiosk_id] = row


async def _guarded_post(
    ctx: IntakeContext, headers: Mapping[str, str], method: str, path: str, body: bytes
) -> FilingAnswer | None:
    """The POST without its database read, or None if it must take the full path.

    PostgreSQL only: every check runs against the kiosk row the kiosk's last POST read (its
    current key, not revoked, contact not yet due), as if no filing of this key were stored;
    the filing is then stored with a guard (:meth:`GroupCommitter.submit`): only if that key is
    still the kiosk's current one and the kiosk is unrevoked in the commit's own statement, and
    only if its key is new. Anything else — a check failing, a guard failing, a stored key —
    answers None and stores nothing: the full path then reads the row and the digest and
    answers exactly as it always does (same checks, same order, same errors).
    """
    if not ctx.filings.guards:
        return None
    try:
        envelope = parse_envelope(body, max_bytes=ctx.settings.max_body_bytes)
    except Exception:  # the full path reports it
        return None
    hint = ctx.filings.kiosk_hints.get(envelope.kiosk_id)
    if hint is None or hint.key_id != envelope.key_id:
        return None
    try:
        post = _verify_read(ctx, headers, method, path, body, envelope, hint, None)
        if store.contact_due(post.kiosk, post.now):  # the full path writes it
            return None
        filing, keys = filing_to_store(post, body)
    except Exception:  # the full path reports it, in the protocol's order
        return None
    try:
        result = await ctx.filings.submit(filing, keys, guard=hint.key_id)
    except RecheckNeeded:
        return None
    log.debug("filing %s: %s", filing.filing_id, result.value)
    return FilingAnswer.of(result, filing.filing_id)


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
        text = _ANSWER_ENCODER.encode({"result": result.value, "filing_id": filing_id})
        body = text.encode("utf-8")
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
    answer = await _guarded_post(ctx, request.headers, request.method, path, body)
    if answer is not None:
        return answer
    post = await verify_post_async(ctx, request.headers, request.method, path, body)
    if store.contact_due(post.kiosk, post.now):  # a write: at most every few seconds per kiosk
        await run_in_threadpool(store.record_contact_of, ctx.engine, post.kiosk, post.now)
        if ctx.filings.kiosk_hints.get(post.kiosk.kiosk_id) is post.kiosk:
            contacted = replace(post.kiosk, last_contact_at=stamp(post.now))
            ctx.filings.kiosk_hints[post.kiosk.kiosk_id] = contacted
    filing_id = post.envelope.idempotency_key
    result = store.digest_outcome(post.stored_sha256, post.envelope.filing_sha256)
    if result is None:
        filing, keys = filing_to_store(post, body)
        result = await ctx.filings.submit(filing, keys)
    # DEBUG: a line per request at INFO cost a tenth of the intake's CPU under load; stored
    # filings are logged at INFO once per group commit (and audited)
    log.debug("filing %s: %s", filing_id, result.value)
    return FilingAnswer.of(result, filing_id)
