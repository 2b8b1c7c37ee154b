"""Export of accepted filings for the 住民記録 system's CSV import (docs/export-format.md).

CSV: one row per member (the unit a 住民記録 異動 is entered in), UTF-8 without BOM, CRLF,
RFC 4180 quoting, header row; a cell a spreadsheet could run as a formula gets a leading
apostrophe (:mod:`server_sync.intake.csv_safe`). JSON: one object per filing with the full
filing document.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from kiosk.forms.codec import filing_from_json, filing_to_dict
from kiosk.forms.errors import FormsError
from kiosk.forms.model import Address, Filing
from kiosk.forms.relationship import RelationshipCodes
from server_sync.intake import store
from server_sync.intake.csv_safe import write_csv
from server_sync.intake.errors import StoredFilingError
from server_sync.intake.masterset import RELATIONSHIP_CODES
from server_sync.intake.records import Filing as StoredFiling

EXPORT_FORMAT = "kiosk-intake-export"
EXPORT_VERSION = 1
CODE_SEPARATOR = "|"

#: the CSV columns, in order (documented in docs/export-format.md)
CSV_COLUMNS: tuple[str, ...] = (
    "filing_id",
    "source",
    "kiosk_id",
    "received_at",
    "accepted_at",
    "accepted_by",
    "resident_binding",
    "ward_code",
    "kind",
    "kind_ja",
    "notified_on",
    "moved_on",
    "household_mode",
    "member_no",
    "member_count",
    "name",
    "furigana",
    "birth_date",
    "sex",
    "relationship",
    "relationship_codes",
    "from_chip",
    "new_lg_code",
    "new_machiaza_id",
    "new_postal_code",
    "new_prefecture",
    "new_city",
    "new_town",
    "new_block",
    "new_residence",
    "new_chiban",
    "new_katagaki",
    "new_free_text",
    "new_country",
    "old_lg_code",
    "old_address_text",
    "filer_name",
    "filer_standing",
    "phone",
)


def address_text(address: Address | None) -> str:
    """An address as one line of text (for the old address column)."""
    if address is None:
        return ""
    if address.free_text:
        return address.free_text
    number = "-".join(part for part in (address.block, address.residence) if part) or address.chiban
    parts = [address.prefecture, address.city, address.town, number]
    text = "".join(parts)
    return f"{text} {address.katagaki}".strip() if address.katagaki else text


def parse_stored(stored: StoredFiling) -> Filing:
    """The domain filing of a stored row (typed error naming the filing if it does not parse)."""
    try:
        return filing_from_json(stored.filing_json)
    except (FormsError, ValueError) as err:
        raise StoredFilingError(
            f"filing {stored.filing_id} does not parse; export stopped"
        ) from err


def _rows_for(stored: StoredFiling, filing: Filing, codes: RelationshipCodes) -> list[list[str]]:
    new = filing.new_address
    shared_head = [
        stored.filing_id,
        stored.source.value,
        stored.kiosk_id or "",
        stored.received_at,
        stored.decided_at or "",
        stored.decided_by or "",
        stored.resident_binding.value,
        filing.ward_code,
        filing.kind.value,
        filing.kind.label_ja,
        filing.notified_on.isoformat(),
        filing.moved_on.isoformat(),
        filing.household.mode.value,
    ]
    shared_tail = [
        new.lg_code,
        new.machiaza_id,
        new.postal_code,
        new.prefecture,
        new.city,
        new.town,
        new.block,
        new.residence,
        new.chiban,
        new.katagaki,
        new.free_text,
        new.country,
        filing.old_address.lg_code if filing.old_address else "",
        address_text(filing.old_address),
        filing.filer.name,
        filing.filer.standing.value,
        filing.phone,
    ]
    rows = []
    for index, member in enumerate(filing.members, start=1):
        rows.append(
            [
                *shared_head,
                str(index),
                str(len(filing.members)),
                member.name,
                member.furigana,
                member.birth_date.isoformat(),
                member.sex.value,
                member.relationship.display,
                CODE_SEPARATOR.join(codes.export(member.relationship)),
                "1" if member.from_chip else "0",
                *shared_tail,
            ]
        )
    return rows


def export_csv(filings: Sequence[StoredFiling], codes: RelationshipCodes) -> str:
    """CSV text (CRLF line ends) of the accepted filings, one row per member."""
    rows = [row for stored in filings for row in _rows_for(stored, parse_stored(stored), codes)]
    return write_csv(CSV_COLUMNS, rows)  # every cell formula-neutralised (csv_safe)


def export_json(filings: Sequence[StoredFiling], exported_at: str) -> str:
    """JSON text: {format, version, exported_at, filings: [{…review data…, filing: {…}}]}."""
    items: list[dict[str, Any]] = [
        {
            "filing_id": stored.filing_id,
            "source": stored.source.value,
            "kiosk_id": stored.kiosk_id,
            "received_at": stored.received_at,
            "accepted_at": stored.decided_at,
            "accepted_by": stored.decided_by,
            "resident_binding": stored.resident_binding.value,
            "filing": filing_to_dict(parse_stored(stored)),
        }
        for stored in filings
    ]
    doc = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "filings": items,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def relationship_codes_of(engine: Engine) -> RelationshipCodes:
    """The 続柄 export codes of the current master set (else the built-in table)."""
    current = store.current_master(engine)
    if current is not None:
        data = store.master_file(engine, current.version, RELATIONSHIP_CODES)
        if data is not None:
            raw = json.loads(data.decode("utf-8"))
            return RelationshipCodes(
                name=str(raw.get("name", "")),
                codes={str(k): str(v) for k, v in raw.get("codes", {}).items()},
            )
    return RelationshipCodes.load()
