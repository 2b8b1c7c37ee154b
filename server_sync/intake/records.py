"""Records the intake stores and the closed sets of their states."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FilingStatus(StrEnum):
    """Review state of a filing: 仮登録 → 本登録 or rejected."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ResidentBindingState(StrEnum):
    """What the intake could establish about the resident's card signature."""

    VERIFIED = "verified"
    ABSENT = "absent"
    UNTRUSTED_CHAIN = "untrusted_chain"


class FilingSource(StrEnum):
    """How the filing reached the intake."""

    POSTED = "posted"
    PAPER = "paper"


class PostResult(StrEnum):
    """Outcome of a filing POST that was not refused."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Kiosk:
    """An enrolled kiosk and its last reported state."""

    kiosk_id: str
    public_key: bytes
    key_id: str
    enrolled_at: str
    revoked_at: str | None
    last_contact_at: str | None
    backlog: int | None
    dead: int | None
    master_version: str | None
    app_version: str | None
    #: the stand's own report (fleet view only; the filing hot path does not read these)
    image_version: str | None = None
    boot_slot: str | None = None
    reader_state: str | None = None
    printer_state: str | None = None

    @property
    def revoked(self) -> bool:
        """Whether staff revoked this kiosk."""
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class Filing:
    """One stored filing (posted by a kiosk or known only from the printed barcode)."""

    filing_id: str
    kiosk_id: str | None
    received_at: str
    created_at: str
    envelope: str | None
    filing_json: str
    filing_sha256: str
    kiosk_signature_ok: bool
    resident_binding: ResidentBindingState
    resident_cert_serial: str | None
    status: FilingStatus
    reject_reason: str | None
    decided_at: str | None
    decided_by: str | None
    source: FilingSource
    #: the presented auth certificate's issuer (RFC 4514) and notAfter (issue 13)
    resident_cert_issuer: str | None = None
    resident_cert_not_after: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the audit log (a state change; never personal data)."""

    audit_id: str
    at: str
    actor: str
    action: str
    subject_type: str
    subject_id: str
    detail: str


@dataclass(frozen=True, slots=True)
class MasterFileInfo:
    """One file of a published master set."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class MasterManifest:
    """A published master-data set version."""

    version: str
    published_at: str
    files: tuple[MasterFileInfo, ...]
