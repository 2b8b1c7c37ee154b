"""Typed errors of the intake; each maps to one HTTP status and a stable ``error`` code."""

from __future__ import annotations

from server_sync.errors import SyncError


class IntakeError(SyncError):
    """An error answered to the client as ``{"error": code, "detail": ...}``."""

    code = "intake_error"
    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BodyTooLargeError(IntakeError):
    """The request body exceeds the configured limit."""

    code = "too_large"
    status = 413


class MalformedJsonError(IntakeError):
    """The body is not UTF-8 JSON of the expected shape."""

    code = "bad_request"
    status = 400


class UnknownKioskError(IntakeError):
    """No kiosk with this id is enrolled."""

    code = "unknown_kiosk"
    status = 403


class RevokedKioskError(IntakeError):
    """The kiosk was revoked by staff."""

    code = "revoked_kiosk"
    status = 403


class MissingAuthError(IntakeError):
    """A kiosk-authenticated request came without the X-Kiosk-* headers."""

    code = "bad_signature"
    status = 401


class BadTokenError(IntakeError):
    """An enrolment token is unknown, used, expired or bound to another kiosk."""

    code = "bad_token"
    status = 401


class IdempotencyConflictError(IntakeError):
    """The idempotency key was already used for a filing with different content."""

    code = "idempotency_conflict"
    status = 409


class BadFilingError(IntakeError):
    """The filing bytes do not parse as a filing."""

    code = "bad_filing"
    status = 422


class UntrustedResidentChainError(IntakeError):
    """The resident certificate does not chain to the configured JPKI roots (policy: reject)."""

    code = "untrusted_resident_chain"
    status = 422


class NotFoundError(IntakeError):
    """The requested object does not exist."""

    code = "not_found"
    status = 404


class InvalidTransitionError(IntakeError):
    """A filing status change that the review workflow does not allow."""

    code = "invalid_transition"
    status = 409


class MasterSetError(IntakeError):
    """A master-data set to publish is incomplete or invalid."""

    code = "bad_master"
    status = 400


#: HTTP status for each envelope error code raised by server_sync.envelope / request_auth
ENVELOPE_STATUS: dict[str, int] = {
    "too_large": 413,
    "bad_envelope": 400,
    "key_mismatch": 401,
    "bad_signature": 401,
    "clock_skew": 400,
    "filing_too_old": 422,
    "digest_mismatch": 400,
    "bad_resident_signature": 422,
}


class BadQueryError(IntakeError):
    """A search or export parameter is malformed (e.g. not an RFC 3339 time)."""

    code = "bad_request"
    status = 400


class StoredFilingError(IntakeError):
    """A stored filing cannot be read back as a filing (the export stops rather than skip it)."""

    code = "bad_stored_filing"
    status = 500
