"""Records returned by the address master."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Town:
    """A 町 (大字・町) as the first picker level; its 丁目 follow via ``AddressMaster.chome``."""

    name: str  # e.g. "新宿"
    kana: str  # e.g. "シンジュク"
    roma: str  # e.g. "Shinjuku" (may be empty)
    has_chome: bool


@dataclass(frozen=True, slots=True)
class Machiaza:
    """One 町字 (a 丁目, or a 町 without 丁目) with the numbering schemes it uses."""

    machiaza_id: str  # 7 digits
    town: str  # 大字・町名, e.g. "新宿"
    chome: str  # e.g. "三丁目" ("" when the town has none)
    chome_number: int | None
    name: str  # town + chome (+ 小字), e.g. "新宿三丁目"
    kana: str
    residential: bool  # has 住居表示 (街区 → 住居番号)
    parcel: bool  # has 地番 areas
    postal_code: str  # 7 digits or ""
    town_kana: str = ""  # reading of the 町 alone, e.g. "シンジュク"
    roma: str = ""  # romaji of the 町 (ABR oaza_cho_roma), e.g. "Shinjuku"; may be empty


@dataclass(frozen=True, slots=True)
class Building:
    """A 方書 master entry (building name; the room is typed by the resident)."""

    name: str
    kana: str


@dataclass(frozen=True, slots=True)
class MasterInfo:
    """Identity of an installed master, for publication and for kiosk status screens."""

    ward_code: str
    prefecture: str
    city: str
    version: str  # "<lg_code>-<imported UTC>-<content sha256 prefix>"
    content_sha256: str  # over all rows in a canonical order
    imported_at: datetime
    schema_version: int
    counts: dict[str, int]
