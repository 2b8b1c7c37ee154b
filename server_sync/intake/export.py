"""Export of accepted filings for the 住民記録 system's CSV import (docs/export-format.md).

CSV: one row per member (the unit a 住民記録 異動 is entered in), CRLF, RFC 4180 quoting, header
row; a cell a spreadsheet could run as a formula gets a leading apostrophe
(:mod:`server_sync.intake.csv_safe`); times in Japan time, addresses as the console shows them.
JSON: one object per filing with the full filing document.

:func:`run_export` selects what to export (filters, "not exported yet") and marks it exported
(``filings.exported_at`` / ``exported_by``, migration 0510) in the same transaction that renders
the document, so a failed render marks nothing and two exports never both take a filing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, text

from kiosk.forms.codec import filing_from_json, filing_to_dict
from kiosk.forms.errors import FormsError
from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import Address, AddressScheme, Answer, Filing, Member, PersonName
from kiosk.forms.relationship import RelationshipCodes
from server_sync.intake import store
from server_sync.intake.clock import parse_bound, stamp
from server_sync.intake.csv_safe import write_csv
from server_sync.intake.errors import BadQueryError, StoredFilingError
from server_sync.intake.masterset import RELATIONSHIP_CODES
from server_sync.intake.records import Filing as StoredFiling
from server_sync.intake.records import FilingStatus
from server_sync.intake.store.audit import audit_row, write_audit_rows
from server_sync.intake.wording import (
    ANSWER_JA,
    LIST_SEPARATOR,
    jst_stamp,
    language_ja,
    pins_needed,
    task_labels,
)

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
    # --- added for the daily 住記 import (issue 17); the 39 columns above are unchanged ---
    "receipt_number",
    "language",
    "language_ja",
    "move_out_route",
    "planned_move_out_on",
    "new_address_text",
    "head_name",
    "existing_head_name",
    "existing_head_furigana",
    "previous_head_name",
    "previous_head_furigana",
    "remaining_head_name",
    "remaining_head_furigana",
    "staying_count",
    "filer_furigana",
    "card_tasks",
    "card_pins",
    "related_procedures",
    "related_check_at_counter",
    "nationality",
    "residence_status",
    "residence_card_number",
    "residence_period_ends_on",
    "alias",
    "honseki",
    "head_of_register",
    "exported_at",
    "exported_by",
)


def address_text(address: Address | None) -> str:
    """An address as one line, written as on screen and paper (「2番5号」, 方書 after a space)."""
    if address is None:
        return ""
    return address.display()


def parse_stored(stored: StoredFiling) -> Filing:
    """The domain filing of a stored row (typed error naming the filing if it does not parse)."""
    try:
        return filing_from_json(stored.filing_json)
    except (FormsError, ValueError) as err:
        raise StoredFilingError(
            f"filing {stored.filing_id} does not parse; export stopped"
        ) from err


#: the export marks of one filing: (exported_at, exported_by), as stored (UTC) — or empty
ExportMark = tuple[str, str]
NO_MARK: ExportMark = ("", "")
FilingKey = tuple[str, str]
"""(kiosk_id, filing_id): filings are identified per kiosk."""


def key_of(stored: StoredFiling) -> FilingKey:
    """The (kiosk_id, filing_id) key of a stored filing."""
    return (stored.kiosk_id or "", stored.filing_id)


def _person(person: PersonName | None) -> list[str]:
    return [person.name, person.furigana] if person else ["", ""]


def _related(filing: Filing) -> tuple[str, str]:
    answers = CODE_SEPARATOR.join(
        f"{a.procedure.label_ja}:{ANSWER_JA[a.answer]}" for a in filing.related
    )
    unsure = LIST_SEPARATOR.join(
        a.procedure.label_ja for a in filing.related if a.answer is Answer.UNSURE
    )
    return answers, unsure


def _card_work(member: Member) -> list[str]:
    return [
        LIST_SEPARATOR.join(task_labels(member.card_tasks)),
        LIST_SEPARATOR.join(pins_needed(member.card_tasks)),
    ]


def _member_facts(member: Member) -> list[str]:
    foreign, honseki = member.foreign, member.honseki
    return [
        foreign.nationality if foreign else "",
        foreign.status if foreign else "",
        foreign.residence_card_number if foreign else "",
        foreign.period_ends_on.isoformat() if foreign and foreign.period_ends_on else "",
        foreign.alias if foreign else "",
        honseki.address if honseki else "",
        honseki.head_of_register if honseki else "",
    ]


def _rows_for(
    stored: StoredFiling, filing: Filing, codes: RelationshipCodes, mark: ExportMark = NO_MARK
) -> list[list[str]]:
    new = filing.new_address
    shared_head = [
        stored.filing_id,
        stored.source.value,
        stored.kiosk_id or "",
        jst_stamp(stored.received_at),
        jst_stamp(stored.decided_at),
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
    household = filing.household
    origin = household.origin
    added_filing = [
        receipt_number_display(receipt_number(filing.id)),
        filing.language,
        language_ja(filing.language),
        filing.move_out_route.value if filing.move_out_route else "",
        filing.planned_move_out_on.isoformat() if filing.planned_move_out_on else "",
        address_text(new) if new.scheme is not AddressScheme.FREE_TEXT or new.free_text else "",
        filing.head_name,
        *_person(household.existing_head),
        *_person(household.previous_head),
        *_person(origin.remaining_head if origin else None),
        str(origin.staying) if origin and origin.staying else "",
        filing.filer.furigana,
    ]
    related, unsure = _related(filing)
    marks = [jst_stamp(mark[0]), mark[1]]
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
                *added_filing,
                *_card_work(member),
                related,
                unsure,
                *_member_facts(member),
                *marks,
            ]
        )
    return rows


def export_csv(
    filings: Sequence[StoredFiling],
    codes: RelationshipCodes,
    marks: Mapping[FilingKey, ExportMark] | None = None,
) -> str:
    """CSV text (CRLF line ends) of the accepted filings, one row per member.

    ``marks``: each filing's export mark (``exported_at`` / ``exported_by`` columns).
    """
    known = marks or {}
    rows = [
        row
        for stored in filings
        for row in _rows_for(
            stored, parse_stored(stored), codes, known.get(key_of(stored), NO_MARK)
        )
    ]
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


# --- what to export, and marking it exported (migration 0510) -------------------------------


T = TypeVar("T")
MARK_COLUMNS = "exported_at, exported_by"
EXPORTED_ACTION = "filing.exported"


@dataclass(frozen=True, slots=True)
class ExportSelection:
    """Which accepted filings to export (times RFC 3339 with Z or an offset; all optional).

    ``accepted_*`` bound the acceptance time, ``received_*`` the 受付 time (the console's search
    form, JST days); ``not_exported`` leaves out filings already marked exported.
    """

    accepted_from: str | None = None
    accepted_to: str | None = None
    received_from: str | None = None
    received_to: str | None = None
    kiosk_id: str | None = None
    not_exported: bool = False
    #: further SQL conditions (the console's name / 受付番号 / birth-date search), ANDed
    where: str = ""
    where_params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportRun(Generic[T]):
    """One export: the filings in it, each one's mark (after this export), and the document."""

    filings: list[StoredFiling]
    marks: dict[FilingKey, ExportMark]
    document: T
    newly_marked: int


def _bound(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        return parse_bound(value)
    except ValueError as err:
        raise BadQueryError(f"{name} must be an RFC 3339 time with Z or an offset") from err


def _select_sql(selection: ExportSelection, lock: bool) -> tuple[str, dict[str, Any]]:
    # the store's column list and row reader: the same Filing record the rest of the intake uses
    from server_sync.intake.store.filings import _COLUMNS

    clauses = ["status = :s"]
    params: dict[str, Any] = {"s": FilingStatus.ACCEPTED.value}
    for column, op, key, value in (
        ("decided_at", ">=", "af", _bound(selection.accepted_from, "accepted_from")),
        ("decided_at", "<", "at", _bound(selection.accepted_to, "accepted_to")),
        ("received_at", ">=", "rf", _bound(selection.received_from, "received_from")),
        ("received_at", "<", "rt", _bound(selection.received_to, "received_to")),
    ):
        if value is not None:
            clauses.append(f"{column} {op} :{key}")
            params[key] = value
    if selection.kiosk_id is not None:
        clauses.append("kiosk_id = :k")
        params["k"] = selection.kiosk_id
    if selection.not_exported:
        clauses.append("exported_at IS NULL")
    if selection.where:
        clauses.append(f"({selection.where})")
        params.update(selection.where_params)
    sql = (
        f"SELECT {_COLUMNS}, {MARK_COLUMNS} FROM filings WHERE {' AND '.join(clauses)}"  # noqa: S608
        " ORDER BY decided_at, filing_id, kiosk_id" + (" FOR UPDATE" if lock else "")
    )
    return sql, params


def _selected(
    conn: Connection, selection: ExportSelection, lock: bool
) -> tuple[list[StoredFiling], dict[FilingKey, ExportMark]]:
    from server_sync.intake.store.filings import _filing

    sql, params = _select_sql(selection, lock)
    filings: list[StoredFiling] = []
    marks: dict[FilingKey, ExportMark] = {}
    for row in conn.execute(text(sql), params).all():
        stored = _filing(row)
        filings.append(stored)
        col = row._mapping
        if col["exported_at"]:
            marks[key_of(stored)] = (str(col["exported_at"]), str(col["exported_by"] or ""))
    return filings, marks


def run_export(
    engine: Engine,
    selection: ExportSelection,
    render: Callable[[list[StoredFiling], dict[FilingKey, ExportMark]], T],
    *,
    mark_by: str | None,
    now: datetime,
) -> ExportRun[T]:
    """Select, render and (with ``mark_by``) mark exported — all in one transaction.

    A filing exported before keeps its first mark (a re-export does not move it); ``render``
    raising (mapping missing, cp932 loss, disk full) rolls the marks back.
    """
    lock = mark_by is not None and engine.dialect.name == "postgresql"
    with engine.begin() as conn:  # SQLite: BEGIN IMMEDIATE, one exporting writer at a time
        filings, marks = _selected(conn, selection, lock)
        fresh = [key_of(f) for f in filings if key_of(f) not in marks]
        if mark_by is not None:
            at = stamp(now)
            for key in fresh:
                marks[key] = (at, mark_by)
        document = render(filings, marks)
        if mark_by is not None and fresh:
            _mark(conn, fresh, marks)
    return ExportRun(filings, marks, document, len(fresh) if mark_by is not None else 0)


def _mark(conn: Connection, keys: list[FilingKey], marks: Mapping[FilingKey, ExportMark]) -> None:
    """Mark the filings exported, each with a ``filing.exported`` audit row (no personal data)."""
    audits = []
    for kiosk_id, filing_id in keys:
        at, by = marks[(kiosk_id, filing_id)]
        changed = conn.execute(
            text(
                "UPDATE filings SET exported_at = :at, exported_by = :by"
                " WHERE kiosk_id = :k AND filing_id = :f AND exported_at IS NULL"
            ),
            {"at": at, "by": by, "k": kiosk_id, "f": filing_id},
        )
        if changed.rowcount == 1:
            audits.append(
                audit_row(
                    actor=by,
                    action=EXPORTED_ACTION,
                    subject_type="filing",
                    subject_id=filing_id,
                    detail={"kiosk_id": kiosk_id},
                )
            )
    write_audit_rows(conn, audits)
