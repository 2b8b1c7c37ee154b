"""POST /api/v1/filings: verify the envelope in the protocol's order, dedupe, parse, store."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from server_sync.envelope import (
    Envelope,
    check_created_at,
    format_timestamp,
    parse_envelope,
    verify_filing_digest,
    verify_kiosk_signature,
)
from server_sync.intake import store
from server_sync.intake.bodies import EnvelopeBody, FilingResult, read_body
from server_sync.intake.clock import stamp
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
from server_sync.intake.verify import check_resident, parse_filing
from server_sync.request_auth import HEADER_KIOSK_ID

if TYPE_CHECKING:
    from server_sync.intake.store.group_commit import Arrival

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["filings"])


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


def accept_filing(
    ctx: IntakeContext, headers: Mapping[str, str], method: str, path: str, body: bytes
) -> tuple[PostResult, str]:
    """Run every check of docs/protocol.md in order and store the filing as 仮登録.

    The request is announced to the group committer first, so a commit leader waits for it
    briefly instead of committing without it (batches that actually group).
    """
    with ctx.filings.arriving() as arrival:
        return _check_and_store(ctx, headers, method, path, body, arrival)


def _check_and_store(
    ctx: IntakeContext,
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    arrival: Arrival,
) -> tuple[PostResult, str]:
    envelope = parse_envelope(body, max_bytes=ctx.settings.max_body_bytes)
    # one read for the kiosk row and the idempotency key; the key is looked at only after the
    # checks below (a race with a concurrent insert is settled by the group commit)
    row, stored_sha256 = store.kiosk_and_digest(
        ctx.engine, envelope.kiosk_id, envelope.idempotency_key
    )
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
    store.record_contact_of(ctx.engine, kiosk, now)
    known = store.digest_outcome(stored_sha256, envelope.filing_sha256)
    if known is not None:
        # dedupe before parsing: a replay never reaches the filing parser
        return known, envelope.idempotency_key
    # parsed and validated once; the console's search keys come from the same object
    parsed = parse_filing(envelope.filing, envelope.idempotency_key, now)
    filing = Filing(
        filing_id=envelope.idempotency_key,
        kiosk_id=kiosk.kiosk_id,
        received_at=stamp(now),
        created_at=format_timestamp(envelope.created_at),
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
    keys = parsed_index_params(filing.filing_id, parsed)
    return ctx.filings.insert(filing, arrival, keys), filing.filing_id


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
async def post_filing(request: Request) -> JSONResponse:
    """Verify and store a filing as 仮登録 (201 accepted, 200 duplicate)."""
    ctx = context_of(request)
    body = await read_body(request, ctx.settings.max_body_bytes)
    result, filing_id = await run_in_threadpool(
        accept_filing, ctx, request.headers, request.method, request.url.path, body
    )
    # DEBUG: a line per request at INFO cost a tenth of the intake's CPU under load; stored
    # filings are logged at INFO once per group commit (and audited)
    log.debug("filing %s: %s", filing_id, result.value)
    status = 201 if result is PostResult.ACCEPTED else 200
    return JSONResponse({"result": result.value, "filing_id": filing_id}, status_code=status)
