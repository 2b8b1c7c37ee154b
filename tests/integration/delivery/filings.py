"""Valid filing bytes for delivery tests (built with kiosk.forms, the format the intake parses)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kiosk.forms.codec import canonical_bytes
from kiosk.forms.ids import new_filing_id
from kiosk.forms.model import (
    Address,
    AddressScheme,
    Filer,
    Filing,
    FilingKind,
    Member,
    Sex,
    Standing,
)
from kiosk.forms.relationship import HEAD


def make_filing(filing_id: str | None = None, *, name: str = "山田 太郎") -> tuple[str, bytes]:
    """A 転居 filing of one person; returns (filing id, canonical bytes)."""
    fid = filing_id or new_filing_id()
    new = Address(
        scheme=AddressScheme.RESIDENTIAL,
        prefecture="東京都",
        city="新宿区",
        lg_code="131041",
        town="新宿三丁目",
        block="5",
        residence="2",
        postal_code="1600022",
    )
    old = Address(scheme=AddressScheme.FREE_TEXT, free_text="東京都新宿区西新宿二丁目8番1号")
    filing = Filing(
        id=fid,
        ward_code="131041",
        kind=FilingKind.MOVE_WITHIN,
        notified_on=date(2026, 11, 27),
        moved_on=date(2026, 11, 20),
        filer=Filer(name=name, standing=Standing.SELF, member_index=0, from_chip=True),
        new_address=new,
        old_address=old,
        members=(
            Member(
                name=name,
                furigana="ヤマダ タロウ",
                birth_date=date(1980, 4, 1),
                sex=Sex.MALE,
                relationship=HEAD,
                from_chip=True,
            ),
        ),
        created_at=datetime.now(UTC).replace(microsecond=0),
    )
    return fid, canonical_bytes(filing)
