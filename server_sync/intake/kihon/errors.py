"""Typed errors of the ``kihon`` export profile (each names what the ward must fix)."""

from __future__ import annotations

from server_sync.intake.errors import IntakeError


class KihonError(IntakeError):
    """Base of the kihon profile's errors (the export stops; nothing is written)."""

    code = "kihon_export"
    status = 400


class MappingFileError(KihonError):
    """A mapping file of the ward's mapping directory is missing or malformed."""

    code = "kihon_mapping_file"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"mapping file {path}: {reason}")
        self.path = path
        self.reason = reason


class UnmappedValueError(KihonError):
    """A value of a filing has no code in the ward's mapping (never exported as a blank)."""

    code = "kihon_unmapped"

    def __init__(
        self, table: str, file: str, value: str, filing_id: str, member_no: int | None
    ) -> None:
        where = f"filing {filing_id}" + (f" member {member_no}" if member_no else "")
        super().__init__(
            f"{where}: {table} {value!r} has no code in {file}; add it to the ward's mapping"
        )
        self.table = table
        self.file = file
        self.value = value
        self.filing_id = filing_id
        self.member_no = member_no


class EncodingLossError(KihonError):
    """The CSV holds characters the chosen encoding cannot represent (and loss was not allowed)."""

    code = "encoding_loss"

    def __init__(self, encoding: str, count: int) -> None:
        super().__init__(
            f"{count} character(s) cannot be written in {encoding} (see the loss report); "
            "use utf-8 / utf-8-sig, or --allow-loss to substitute them"
        )
        self.encoding = encoding
        self.count = count
