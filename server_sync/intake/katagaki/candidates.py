"""Candidates: free-text 方書 of accepted filings, grouped by address and building."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text

from server_sync.intake.store import list_accepted_filings

#: kinds whose new address is an address of this ward (the 方書 master's addresses)
INTO_WARD_KINDS = frozenset({"move_in", "move_in_from_abroad", "move_within"})
STRUCTURED = frozenset({"residential", "parcel"})
#: a trailing room designation: "302号室", "3F 302", "A-12", "101号", "202室"
ROOM_RE = re.compile(
    r"[\s\u3000]*(?:[0-9０-９]+[階FfＦ][\s\u3000]*)?[A-Za-zＡ-Ｚａ-ｚ]?[-－ー]?[0-9０-９]+"
    r"(?:[-－ー][0-9０-９]+)?[\s\u3000]*(?:号室|号|室)?$"
)


def building_part(typed: str) -> str:
    """The building of a typed 方書 (room number dropped); the whole text if nothing is left."""
    text_ = " ".join(typed.split())
    building = ROOM_RE.sub("", text_).strip()
    return building or text_


def number_key(address: dict[str, Any]) -> tuple[str, str]:
    """(scheme, number) as the kiosk master keys 方書 (``"block/residence"`` or the 地番)."""
    if address.get("scheme") == "parcel":
        return "parcel", str(address.get("chiban", ""))
    return "residential", f"{address.get('block', '')}/{address.get('residence', '')}"


def address_label(address: dict[str, Any]) -> str:
    """The address without the 方書, as the lists show it."""
    head = f"{address.get('prefecture', '')}{address.get('city', '')}{address.get('town', '')}"
    if address.get("scheme") == "parcel":
        return f"{head}{address.get('chiban', '')}番地"
    return f"{head}{address.get('block', '')}番{address.get('residence', '')}号"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A building typed at one address, by how many accepted filings."""

    machiaza_id: str
    scheme: str
    number: str
    candidate: str  # the building part (what the master would list)
    address: str
    typed: tuple[str, ...]  # what residents typed (distinct, as typed)
    filings: int

    @property
    def key(self) -> str:
        """A form-safe identifier of the candidate (JSON of its key fields)."""
        return json.dumps([self.machiaza_id, self.scheme, self.number, self.candidate])


def _free_text_katagaki(filing_json: str) -> tuple[dict[str, Any], str] | None:
    try:
        raw = json.loads(filing_json)
    except (ValueError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("kind") not in INTO_WARD_KINDS:
        return None
    address = raw.get("new_address")
    if not isinstance(address, dict) or address.get("scheme") not in STRUCTURED:
        return None
    typed = address.get("katagaki")
    if not isinstance(typed, str) or not typed.strip() or address.get("katagaki_listed"):
        return None
    if not address.get("machiaza_id"):
        return None
    return address, typed.strip()


def decided_keys(engine: Engine) -> set[tuple[str, str, str, str]]:
    """(machiaza_id, scheme, number, candidate) already confirmed or dismissed."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT machiaza_id, scheme, number, candidate FROM katagaki_feedback")
        ).all()
    return {(str(a), str(b), str(c), str(d)) for a, b, c, d in rows}


def list_candidates(engine: Engine) -> list[Candidate]:
    """Undecided candidates, most filings first."""
    decided = decided_keys(engine)
    groups: dict[tuple[str, str, str, str], tuple[str, dict[str, int]]] = {}
    for filing in list_accepted_filings(engine):
        found = _free_text_katagaki(filing.filing_json)
        if found is None:
            continue
        address, typed = found
        scheme, number = number_key(address)
        key = (str(address["machiaza_id"]), scheme, number, building_part(typed))
        if key in decided:
            continue
        label, counts = groups.setdefault(key, (address_label(address), {}))
        counts[typed] = counts.get(typed, 0) + 1
    out = [
        Candidate(*key, address=label, typed=tuple(sorted(counts)), filings=sum(counts.values()))
        for key, (label, counts) in groups.items()
    ]
    return sorted(out, key=lambda c: (-c.filings, c.address, c.candidate))
