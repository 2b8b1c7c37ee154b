"""A clerk's decision on a 方書 candidate: confirmed (as corrected) or dismissed; audited."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from kiosk.forms.master.kana import search_key
from server_sync.intake.clock import stamp
from server_sync.intake.store.audit import write_audit

MAX_NAME_CHARS = 60
#: a reading: katakana (hiragana is folded), prolonged sound mark, spaces
KANA_RE = re.compile(r"^[\u30a0-\u30ff\u3000 ]+$")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


class Decision(StrEnum):
    """What the clerk decided."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class KatagakiInputError(ValueError):
    """A name or reading the master cannot take (carries the field)."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field = field
        self.detail = detail


class AlreadyDecidedError(ValueError):
    """Another clerk decided this candidate first."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A confirmed 方書 master entry."""

    machiaza_id: str
    scheme: str
    number: str
    name: str
    kana: str


def parse_key(raw: str) -> tuple[str, str, str, str]:
    """The candidate key of a form (``Candidate.key``), or KatagakiInputError."""
    try:
        parts = json.loads(raw)
    except ValueError as err:
        raise KatagakiInputError("key", "unknown candidate") from err
    if not (isinstance(parts, list) and len(parts) == 4 and all(isinstance(p, str) for p in parts)):
        raise KatagakiInputError("key", "unknown candidate")
    if parts[1] not in ("residential", "parcel"):
        raise KatagakiInputError("key", "unknown candidate")
    return parts[0], parts[1], parts[2], parts[3]


def checked_name(raw: str) -> str:
    """The 方書 (building) as the master lists it: one line, NFC, bounded."""
    name = unicodedata.normalize("NFC", " ".join(raw.split()))
    if not name or len(name) > MAX_NAME_CHARS or CONTROL_RE.search(name):
        raise KatagakiInputError("name", f"方書は1〜{MAX_NAME_CHARS}文字で入力してください")
    return name


def checked_kana(raw: str) -> str:
    """The reading in katakana (hiragana folded; spaces dropped), or KatagakiInputError."""
    kana = search_key(raw)
    if not kana or not KANA_RE.fullmatch(kana) or len(kana) > MAX_NAME_CHARS * 2:
        raise KatagakiInputError("kana", "よみをカタカナかひらがなで入力してください")
    return kana


def decide(
    engine: Engine,
    key: tuple[str, str, str, str],
    decision: Decision,
    *,
    name: str,
    kana: str,
    address: str,
    actor: str,
    now: datetime,
) -> None:
    """Record the decision (once per candidate) with its audit row."""
    machiaza_id, scheme, number, candidate = key
    if decision is Decision.CONFIRMED:
        name, kana = checked_name(name), checked_kana(kana)
    else:
        name, kana = candidate, ""
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO katagaki_feedback (machiaza_id, scheme, number, candidate,"
                    " decision, name, kana, address, decided_at, decided_by) VALUES"
                    " (:m, :s, :n, :c, :d, :name, :kana, :a, :at, :by)"
                ),
                {
                    "m": machiaza_id, "s": scheme, "n": number, "c": candidate,
                    "d": decision.value, "name": name, "kana": kana, "a": address[:200],
                    "at": stamp(now), "by": actor,
                },
            )  # fmt: skip
            write_audit(
                conn,
                actor=actor,
                action=f"katagaki.{decision.value}",
                subject_type="katagaki",
                subject_id=f"{machiaza_id}/{scheme}/{number}",
                detail={"corrected": name != candidate},
            )
    except IntegrityError as err:
        raise AlreadyDecidedError("this candidate was already decided") from err


def confirmed_entries(engine: Engine) -> list[Entry]:
    """Every confirmed entry (what each publish adds to the address master)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT machiaza_id, scheme, number, name, kana FROM katagaki_feedback"
                " WHERE decision = 'confirmed' ORDER BY machiaza_id, scheme, number, name"
            )
        ).all()
    return [Entry(*(str(v) for v in row)) for row in rows]


def recent_decisions(engine: Engine, limit: int = 50) -> list[dict[str, str]]:
    """The latest decisions (for the console list)."""
    with engine.connect() as conn:
        rows = (
            conn.execute(
                text(
                    "SELECT address, candidate, decision, name, kana, decided_at, decided_by"
                    " FROM katagaki_feedback ORDER BY decided_at DESC LIMIT :n"
                ),
                {"n": limit},
            )
            .mappings()
            .all()
        )
    return [{k: str(v) for k, v in row.items()} for row in rows]
