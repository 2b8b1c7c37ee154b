"""Shared helpers: the shipped example filings as stored (accepted) rows, and CSV read-back."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

from kiosk.forms.codec import filing_from_json
from server_sync.intake.records import (
    Filing as StoredFiling,
)
from server_sync.intake.records import (
    FilingSource,
    FilingStatus,
    ResidentBindingState,
)

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "filings"
MAPPING = REPO / "examples" / "mappings" / "131041"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def stored(body: str, kiosk_id: str = "kiosk-1") -> StoredFiling:
    """A filing JSON as an accepted row of the intake."""
    filing = filing_from_json(body)
    return StoredFiling(
        filing_id=filing.id,
        kiosk_id=kiosk_id,
        received_at="2026-11-27T01:31:00.000000Z",
        created_at="2026-11-27T01:30:00Z",
        envelope=None,
        filing_json=body,
        filing_sha256=hashlib.sha256(body.encode()).hexdigest(),
        kiosk_signature_ok=True,
        resident_binding=ResidentBindingState.ABSENT,
        resident_cert_serial=None,
        status=FilingStatus.ACCEPTED,
        reject_reason=None,
        decided_at="2026-11-27T02:00:00.000000Z",
        decided_by="staff:clerk1",
        source=FilingSource.POSTED,
    )


def example(name: str) -> StoredFiling:
    """One shipped example (``move_out`` → examples/filings/move_out.json) as a stored row."""
    return stored((EXAMPLES / f"{name}.json").read_text("utf-8"))


def read_rows(text: str) -> list[dict[str, str]]:
    """A CSV document read back with the csv module (header row → dict keys)."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def mapping_copy(tmp: Path) -> Path:
    """A writable copy of the sample 新宿区 mapping directory."""
    folder = tmp / "mapping"
    shutil.copytree(MAPPING, folder)
    return folder
