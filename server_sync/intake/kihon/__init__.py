"""The ``kihon`` export profile: accepted filings in the 基本データリスト vocabulary.

One row per member, headers = 基本データリスト item names (plus kiosk items the 住記 has none for),
values coded through a ward's mapping directory (:mod:`.mapping`). docs/export-format.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.forms.codec import filing_from_json
from kiosk.forms.errors import FormsError
from kiosk.forms.model import Filing
from kiosk.forms.settings import DEFAULT_SETTINGS, WardSettings
from server_sync.intake.csv_safe import write_csv
from server_sync.intake.errors import StoredFilingError
from server_sync.intake.kihon.columns import KIHON_COLUMNS
from server_sync.intake.kihon.errors import (
    EncodingLossError,
    KihonError,
    MappingFileError,
    UnmappedValueError,
)
from server_sync.intake.kihon.mapping import WardMapping, load_mapping
from server_sync.intake.kihon.rows import kihon_rows
from server_sync.intake.records import Filing as StoredFiling

__all__ = [
    "KIHON_COLUMNS",
    "EncodingLossError",
    "KihonError",
    "MappingFileError",
    "UnmappedValueError",
    "WardMapping",
    "export_kihon_csv",
    "load_mapping",
]


def parse_stored(stored: StoredFiling) -> Filing:
    """The domain filing of a stored row (as ``export.parse_stored``; not imported from there
    because ``server_sync.intake.export`` cannot be imported first: store → console → export)."""
    try:
        return filing_from_json(stored.filing_json)
    except (FormsError, ValueError) as err:
        raise StoredFilingError(
            f"filing {stored.filing_id} does not parse; export stopped"
        ) from err


def export_kihon_csv(
    filings: Sequence[StoredFiling],
    mapping: WardMapping,
    settings: WardSettings = DEFAULT_SETTINGS,
) -> str:
    """CSV text (CRLF) of the accepted filings in the kihon profile; every cell via csv_safe.

    ``settings``: the ward's rule settings (特例転入 window, findings), default the sources' values.
    """
    rows = [
        row
        for stored in filings
        for row in kihon_rows(stored, parse_stored(stored), mapping, settings)
    ]
    return write_csv(KIHON_COLUMNS, rows)
