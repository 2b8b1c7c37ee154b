"""Valid filing bytes for delivery tests (the shared builder in tests/fixtures/filings.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.fixtures.filings import filing_bytes


def make_filing(filing_id: str | None = None, *, name: str = "山田 太郎") -> tuple[str, bytes]:
    """A 転居 filing of one person made now; returns (filing id, canonical bytes)."""
    return filing_bytes(filing_id, name=name, created_at=datetime.now(UTC).replace(microsecond=0))
