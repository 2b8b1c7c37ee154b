"""Review rules: the checks shown and when accept/reject are allowed (pure logic)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from server_sync.intake.console.review import (
    CopyMatch,
    KioskSignature,
    Outcome,
    ScanFacts,
    assess,
)
from server_sync.intake.records import Filing, FilingSource, FilingStatus, ResidentBindingState

FILING_ID = "019abc00-0000-7000-8000-000000000001"
SCAN = ScanFacts(
    filing_id=FILING_ID,
    kiosk_id="kiosk-01",
    key_id="00" * 8,
    created_at="2026-11-27T00:30:00Z",
    signature=KioskSignature.VALID,
    filing_json="{}",
    filing_sha256="a" * 64,
)
STORED = Filing(
    filing_id=FILING_ID,
    kiosk_id="kiosk-01",
    received_at="2026-11-27T01:00:00.000000Z",
    created_at="2026-11-27T00:30:00Z",
    envelope="{}",
    filing_json="{}",
    filing_sha256="a" * 64,
    kiosk_signature_ok=True,
    resident_binding=ResidentBindingState.VERIFIED,
    resident_cert_serial="1",
    status=FilingStatus.RECEIVED,
    reject_reason=None,
    decided_at=None,
    decided_by=None,
    source=FilingSource.POSTED,
)


def outcomes(scan: ScanFacts | None, stored: Filing | None) -> dict[str, Outcome]:
    return {c.name: c.outcome for c in assess(scan, stored).checks}


def test_posted_and_matching_scan_can_be_accepted() -> None:
    review = assess(SCAN, STORED)
    assert review.copy is CopyMatch.MATCHES
    assert review.can_accept and review.can_reject
    assert all(c.outcome is Outcome.OK for c in review.checks)
    assert [c.mark for c in review.checks] == ["✔", "✔", "✔", "✔"]  # + validation


def test_paper_only_can_be_accepted_with_warnings() -> None:
    review = assess(SCAN, None)
    assert review.copy is CopyMatch.PAPER_ONLY
    assert review.can_accept and review.can_reject
    assert outcomes(SCAN, None) == {
        "kiosk_signature": Outcome.OK,
        "resident_signature": Outcome.WARN,
        "posted_copy": Outcome.WARN,
        "validation": Outcome.OK,
    }


@pytest.mark.parametrize(
    "signature",
    [KioskSignature.INVALID, KioskSignature.UNKNOWN_KIOSK, KioskSignature.REVOKED_KIOSK],
)
def test_bad_kiosk_signature_blocks_accept_but_not_reject(signature: KioskSignature) -> None:
    scan = replace(SCAN, signature=signature)
    for stored in (STORED, None):
        review = assess(scan, stored)
        assert not review.can_accept
        assert "kiosk signature" in review.accept_blocker
        assert review.can_reject
        assert outcomes(scan, stored)["kiosk_signature"] is Outcome.BAD


def test_paper_differing_from_posted_copy_is_flagged_and_blocked() -> None:
    scan = replace(SCAN, filing_sha256="b" * 64)
    review = assess(scan, STORED)
    assert review.copy is CopyMatch.DIFFERS
    assert not review.can_accept
    assert outcomes(scan, STORED)["posted_copy"] is Outcome.BAD


def test_accept_needs_the_paper_scanned() -> None:
    review = assess(None, STORED)
    assert review.copy is CopyMatch.NOT_SCANNED
    assert not review.can_accept and "scan" in review.accept_blocker
    assert review.can_reject


@pytest.mark.parametrize("status", [FilingStatus.ACCEPTED, FilingStatus.REJECTED])
def test_decided_filings_allow_no_action(status: FilingStatus) -> None:
    review = assess(SCAN, replace(STORED, status=status))
    assert not review.can_accept and not review.can_reject
    assert "already decided" in review.accept_blocker


def test_untrusted_resident_chain_is_flagged_and_blocks_accept() -> None:
    stored = replace(STORED, resident_binding=ResidentBindingState.UNTRUSTED_CHAIN)
    assert outcomes(SCAN, stored)["resident_signature"] is Outcome.BAD
    assert not assess(SCAN, stored).can_accept


def test_absent_resident_binding_is_a_warning_only() -> None:
    stored = replace(STORED, resident_binding=ResidentBindingState.ABSENT)
    assert outcomes(SCAN, stored)["resident_signature"] is Outcome.WARN
    assert assess(SCAN, stored).can_accept


def test_paper_recorded_earlier_stays_paper_only() -> None:
    stored = replace(STORED, source=FilingSource.PAPER, envelope=None)
    assert assess(SCAN, stored).copy is CopyMatch.PAPER_ONLY
    assert assess(replace(SCAN, filing_sha256="c" * 64), stored).copy is CopyMatch.DIFFERS
