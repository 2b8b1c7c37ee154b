"""Repository functions over the intake database (all take the SQLAlchemy ``Engine`` first).

The console calls these too: :func:`get_filing`, :func:`search_filings`, :func:`set_filing_status`,
:func:`record_paper_filing`, :func:`list_kiosks`, :func:`list_audit`.
"""

from __future__ import annotations

from server_sync.intake.store.audit import list_audit, write_audit
from server_sync.intake.store.filings import (
    FilingSearch,
    digest_outcome,
    get_filing,
    insert_posted_filing,
    known_outcome,
    list_accepted_filings,
    record_paper_filing,
    reopen_filing,
    search_filings,
    set_filing_status,
)
from server_sync.intake.store.kiosks import (
    PendingEnrolment,
    StandState,
    contact_due,
    create_enrol_token,
    enrol_kiosk,
    get_kiosk,
    kiosk_and_digest,
    kiosk_and_digest_async,
    kiosk_key_at,
    kiosk_keys_at,
    list_kiosks,
    pending_enrolments,
    record_contact,
    record_contact_of,
    record_heartbeat,
    revoke_kiosk,
)
from server_sync.intake.store.master import (
    current_master,
    master_file,
    publish_master_files,
)
from server_sync.intake.store.staff import (
    StaffError,
    count_staff,
    create_staff,
    disable_staff,
    list_staff,
    set_staff_password,
)

__all__ = [
    "FilingSearch",
    "StaffError",
    "count_staff",
    "contact_due",
    "create_enrol_token",
    "create_staff",
    "disable_staff",
    "current_master",
    "digest_outcome",
    "enrol_kiosk",
    "get_filing",
    "get_kiosk",
    "insert_posted_filing",
    "kiosk_and_digest",
    "kiosk_and_digest_async",
    "kiosk_key_at",
    "kiosk_keys_at",
    "known_outcome",
    "list_accepted_filings",
    "list_audit",
    "list_kiosks",
    "list_staff",
    "pending_enrolments",
    "PendingEnrolment",
    "StandState",
    "master_file",
    "publish_master_files",
    "record_contact",
    "record_contact_of",
    "record_heartbeat",
    "record_paper_filing",
    "reopen_filing",
    "revoke_kiosk",
    "search_filings",
    "set_staff_password",
    "set_filing_status",
    "write_audit",
]
