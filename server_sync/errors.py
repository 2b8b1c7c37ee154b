"""Typed errors of the sync client and the envelope format (each with a stable ``code``)."""

from __future__ import annotations

from datetime import datetime

from kiosk.errors import KioskError


class SyncError(KioskError):
    """Base of everything the sync side raises on purpose."""

    code = "sync_error"
    #: whether the sender should try the same message again later
    retryable: bool = False


class ConfigError(SyncError):
    """The sync configuration is missing or invalid."""

    code = "bad_config"


class EnvelopeError(SyncError):
    """An envelope could not be built, parsed or verified."""

    code = "bad_envelope"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class EnvelopeTooLargeError(EnvelopeError):
    """The envelope exceeds the size limit."""

    code = "too_large"


class KeyMismatchError(EnvelopeError):
    """The envelope's key id is not the kiosk's enrolled key."""

    code = "key_mismatch"


class BadSignatureError(EnvelopeError):
    """The kiosk's Ed25519 signature does not verify."""

    code = "bad_signature"


class StaleEnvelopeError(EnvelopeError):
    """A timestamp is outside its accepted window (base of the two cases below)."""

    code = "stale"


class ClockSkewError(StaleEnvelopeError):
    """The request time (or a future created_at) disagrees with the intake's clock: retryable."""

    code = "clock_skew"
    retryable = True

    def __init__(self, detail: str, *, server_time: datetime | None = None) -> None:
        super().__init__(detail)
        self.server_time = server_time


class FilingTooOldError(StaleEnvelopeError):
    """created_at is older than the intake's maximum age: permanent, never accepted later."""

    code = "filing_too_old"


class DigestMismatchError(EnvelopeError):
    """filing_sha256 does not match the filing bytes."""

    code = "digest_mismatch"


class BadResidentSignatureError(EnvelopeError):
    """The resident's card signature over the filing does not verify."""

    code = "bad_resident_signature"


class OutboxError(SyncError):
    """The local outbox database failed or is inconsistent."""

    code = "outbox_error"


class TransportError(SyncError):
    """A network-level failure or a retryable HTTP answer (timeouts, 408, 429, 5xx)."""

    code = "transport_error"
    retryable = True

    def __init__(
        self, detail: str, *, status: int | None = None, clock_offset_s: int | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        #: on a clock_skew answer: the intake's time minus ours, in seconds (shown by ``status``)
        self.clock_offset_s = clock_offset_s


class RejectedError(SyncError):
    """The intake permanently refused a request (a 4xx other than 408/429)."""

    code = "rejected"

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(f"{status} {error}: {detail}")
        self.status = status
        self.error = error
        self.detail = detail


class MasterDataError(SyncError):
    """A master-data download was bad or failed validation; the old set is kept."""

    code = "bad_master"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail
