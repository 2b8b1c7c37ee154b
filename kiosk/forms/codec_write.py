"""Writing filings: dicts, canonical bytes and JSON text (docs/filing-format.md)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from kiosk.forms.model import (
    NO_ADDRESS,
    Address,
    Filing,
    ForeignResident,
    Honseki,
    Member,
    PersonName,
)

#: the "format" field written for filings that use any version-2 field (docs/filing-format.md)
FORMAT_VERSION = 2
#: filings without any version-2 content are still written as version 1, byte for byte as
#: before (their canonical bytes and SHA-256 at the intake stay the same)
FORMAT_VERSION_1 = 1
SUPPORTED_FORMATS = (FORMAT_VERSION_1, FORMAT_VERSION)


# ----------------------------------------------------------------------------- to dict


def _date_str(d: date) -> str:
    return d.isoformat()


def _datetime_str(dt: datetime) -> str:
    if dt.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def address_to_dict(a: Address) -> dict[str, Any]:
    """One address as a JSON object (every field present)."""
    return {
        "scheme": a.scheme.value,
        "prefecture": a.prefecture,
        "city": a.city,
        "lg_code": a.lg_code,
        "machiaza_id": a.machiaza_id,
        "town": a.town,
        "block": a.block,
        "residence": a.residence,
        "chiban": a.chiban,
        "katagaki": a.katagaki,
        "katagaki_listed": a.katagaki_listed,
        "postal_code": a.postal_code,
        "free_text": a.free_text,
        "country": a.country,
    }


def _person_to_dict(p: PersonName | None) -> dict[str, Any] | None:
    return None if p is None else {"name": p.name, "furigana": p.furigana}


def _honseki_to_dict(h: Honseki | None) -> dict[str, Any] | None:
    return None if h is None else {"address": h.address, "head_of_register": h.head_of_register}


def _foreign_to_dict(x: ForeignResident | None) -> dict[str, Any] | None:
    if x is None:
        return None
    return {
        "nationality": x.nationality,
        "residence_card_number": x.residence_card_number,
        "status": x.status,
        "period_ends_on": None if x.period_ends_on is None else _date_str(x.period_ends_on),
        "category": x.category.value,
        "alias": x.alias,
    }


def member_to_dict(m: Member, version: int = FORMAT_VERSION) -> dict[str, Any]:
    """One member as a JSON object (``honseki``/``foreign`` from version 2 on)."""
    out: dict[str, Any] = {
        "name": m.name,
        "furigana": m.furigana,
        "birth_date": _date_str(m.birth_date),
        "sex": m.sex.value,
        "relationship": m.relationship.display,
        "from_chip": m.from_chip,
        "card_tasks": sorted(t.value for t in m.card_tasks),
    }
    if version >= FORMAT_VERSION:
        out["honseki"] = _honseki_to_dict(m.honseki)
        out["foreign"] = _foreign_to_dict(m.foreign)
    return out


def needs_version_2(f: Filing) -> bool:
    """True when the filing uses any field that version 1 cannot hold."""
    return (
        f.move_out_route is not None
        or f.planned_move_out_on is not None
        or f.household.origin is not None
        or bool(f.filer.phone)
        or f.new_address == NO_ADDRESS
        or f.abroad_for_one_year_or_more is not None
        or f.filer.power_of_attorney_dated is not None
        or f.kind.is_card_procedure
        or any(m.honseki is not None or m.foreign is not None for m in f.members)
    )


def filing_version(f: Filing) -> int:
    """The format a filing is written in: 1 when nothing needs 2 (old readers keep working)."""
    return FORMAT_VERSION if needs_version_2(f) else FORMAT_VERSION_1


def filing_to_dict(f: Filing) -> dict[str, Any]:
    """The JSON object of a filing (only str, int, bool, None, list, dict — no floats)."""
    version = filing_version(f)
    out = _filing_to_dict_v1(f)
    if version == FORMAT_VERSION_1:
        return out
    out["format"] = FORMAT_VERSION
    out["move_out_route"] = None if f.move_out_route is None else f.move_out_route.value
    out["planned_move_out_on"] = (
        None if f.planned_move_out_on is None else _date_str(f.planned_move_out_on)
    )
    out["filer"]["phone"] = f.filer.phone
    # optional v2 fields added later: written only when answered, so filings without them keep
    # their canonical bytes (signatures, intake SHA-256, printed QR codes) unchanged
    if f.filer.power_of_attorney_dated is not None:
        out["filer"]["power_of_attorney_dated"] = _date_str(f.filer.power_of_attorney_dated)
    if f.abroad_for_one_year_or_more is not None:
        out["abroad_for_one_year_or_more"] = f.abroad_for_one_year_or_more
    if f.seal_card is not None:
        out["seal_card"] = {"seal_registered": f.seal_card.seal_registered}
    if f.card_certificate is not None:
        cert = f.card_certificate
        out["card_certificate"] = {
            "serial": cert.serial, "issuer": cert.issuer, "not_after": _date_str(cert.not_after),
        }  # fmt: skip
    out["household"]["origin"] = (
        None
        if f.household.origin is None
        else {
            "remaining_head": _person_to_dict(f.household.origin.remaining_head),
            "staying": f.household.origin.staying,
        }
    )
    if f.household.origin is not None and f.household.origin.staying_children:
        out["household"]["origin"]["staying_children"] = f.household.origin.staying_children
    if f.new_address == NO_ADDRESS:
        out["new_address"] = None
    out["members"] = [member_to_dict(m, FORMAT_VERSION) for m in f.members]
    return out


def _filing_to_dict_v1(f: Filing) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION_1,
        "id": f.id,
        "ward_code": f.ward_code,
        "kind": f.kind.value,
        "notified_on": _date_str(f.notified_on),
        "moved_on": _date_str(f.moved_on),
        "created_at": _datetime_str(f.created_at),
        "language": f.language,
        "phone": f.phone,
        "filer": {
            "name": f.filer.name,
            "furigana": f.filer.furigana,
            "standing": f.filer.standing.value,
            "member_index": f.filer.member_index,
            "from_chip": f.filer.from_chip,
            "address": None if f.filer.address is None else address_to_dict(f.filer.address),
        },
        "old_address": None if f.old_address is None else address_to_dict(f.old_address),
        "new_address": address_to_dict(f.new_address),
        "household": {
            "mode": f.household.mode.value,
            "existing_head": _person_to_dict(f.household.existing_head),
            "previous_head": _person_to_dict(f.household.previous_head),
        },
        "members": [member_to_dict(m, FORMAT_VERSION_1) for m in f.members],
        "related": {a.procedure.value: a.answer.value for a in f.related},
    }


def canonical_bytes(f: Filing) -> bytes:
    """The signed byte string: JSON with sorted keys, compact separators, UTF-8, no floats."""
    return dumps_canonical(filing_to_dict(f))


def dumps_canonical(obj: Any) -> bytes:
    """Canonical JSON bytes of any JSON value (sorted keys, ``,``/``:``, UTF-8)."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def filing_to_json(f: Filing, *, indent: int | None = 2) -> str:
    """Human-readable JSON text of a filing (examples, debugging)."""
    return json.dumps(filing_to_dict(f), ensure_ascii=False, indent=indent) + "\n"


# ----------------------------------------------------------------------------- from dict
