"""``AddressMaster``: read-only lookups for the address picker and for validation."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.forms.kinds import AddressScheme
from kiosk.forms.master.kana import prefix_upper_bound, search_key
from kiosk.forms.master.schema import CONTENT_TABLES
from kiosk.forms.master.store import open_read_only

if TYPE_CHECKING:
    from kiosk.forms.master.records import Building, Machiaza, MasterInfo, Town
    from kiosk.forms.model import Address

# The records (and the filing model's Address) are imported where they are made: the kiosk opens
# its master at start-up, but picks addresses only in a visit (start-up time, issue 14).

#: picker lists are cut at this many entries (the screen asks for more letters)
DEFAULT_LIMIT = 200

# Reasons why an address does not resolve (also used as validation finding codes).
REASON_FREE_TEXT = "free_text"
REASON_OTHER_WARD = "other_ward"
REASON_UNKNOWN_TOWN = "unknown_town"
REASON_NOT_RESIDENTIAL = "not_residential"
REASON_NOT_PARCEL = "not_parcel"
REASON_UNKNOWN_BLOCK = "unknown_block"
REASON_UNKNOWN_RESIDENCE = "unknown_residence"
REASON_UNKNOWN_CHIBAN = "unknown_chiban"


@dataclass(frozen=True, slots=True)
class Resolution:
    """Result of resolving an address: the normalised address, or the reason it failed."""

    address: Address | None
    reason: str = ""


def _numeric_key(text: str) -> tuple[int, str]:
    head = text.split("-")[0].split("/")[0]
    return (int(head) if head.isdigit() else 1 << 30, text)


class AddressMaster:
    """An installed master (one ward), opened read-only; safe to share between threads."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self._lock = threading.Lock()
        self.path = path
        meta = {str(k): str(v) for k, v in self._rows("SELECT key, value FROM meta")}
        self.ward_code = str(meta["ward_code"])
        self.prefecture = str(meta["prefecture"])
        self.city = str(meta["city"])
        self._meta = meta

    @classmethod
    def open(cls, path: Path) -> AddressMaster:
        """Open ``path`` (raises ``MasterUnavailableError`` if missing or foreign)."""
        return cls(open_read_only(path), path)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> AddressMaster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._db.execute(sql, params))

    # ------------------------------------------------------------------ picker levels

    def towns(self, prefix: str = "", *, limit: int = DEFAULT_LIMIT) -> list[Town]:
        """町 names starting with ``prefix`` (kanji, katakana or hiragana), sorted by kana."""
        from kiosk.forms.master.records import Town

        key = search_key(prefix)
        rows = self._rows(
            "SELECT oaza_cho, oaza_kana, oaza_roma, max(chome != '') FROM machiaza"
            " WHERE (name_key >= ?1 AND name_key < ?2) OR (kana >= ?1 AND kana < ?2)"
            " GROUP BY oaza_cho ORDER BY oaza_kana, oaza_cho LIMIT ?3",
            (key, prefix_upper_bound(key), limit),
        )
        return [Town(str(n), str(k), str(r), bool(c)) for n, k, r, c in rows]

    def chome(self, town: str) -> list[Machiaza]:
        """The 町字 (丁目) of one 町, in 丁目 order."""
        rows = self._rows(
            f"SELECT {_MACHIAZA_COLUMNS} FROM machiaza WHERE oaza_cho = ?"  # noqa: S608
            " ORDER BY chome_number, koaza",
            (town,),
        )
        return [_machiaza(r) for r in rows]

    def machiaza(self, machiaza_id: str) -> Machiaza | None:
        """One 町字 by id."""
        rows = self._rows(
            f"SELECT {_MACHIAZA_COLUMNS} FROM machiaza WHERE machiaza_id = ?",  # noqa: S608
            (machiaza_id,),
        )
        return _machiaza(rows[0]) if rows else None

    def machiaza_by_name(self, name: str) -> Machiaza | None:
        """One 町字 by its full name (e.g. ``"新宿三丁目"``)."""
        rows = self._rows(
            f"SELECT {_MACHIAZA_COLUMNS} FROM machiaza WHERE name_key = ?",  # noqa: S608
            (search_key(name),),
        )
        return _machiaza(rows[0]) if rows else None

    def blocks(self, machiaza_id: str) -> list[str]:
        """街区符号 of a 住居表示 町字, numerically sorted."""
        rows = self._rows("SELECT blk_num FROM block WHERE machiaza_id = ?", (machiaza_id,))
        return sorted((str(r[0]) for r in rows), key=_numeric_key)

    def residences(self, machiaza_id: str, block: str) -> list[str]:
        """住居番号 in one 街区 (``"2"``, or ``"2-1"`` with a 住居番号2), numerically sorted."""
        rows = self._rows(
            "SELECT DISTINCT r.number FROM residence r JOIN block b"
            " ON b.machiaza_id = r.machiaza_id AND b.blk_id = r.blk_id"
            " WHERE b.machiaza_id = ? AND b.blk_num = ?",
            (machiaza_id, block),
        )
        return sorted((str(r[0]) for r in rows), key=_numeric_key)

    def chiban(
        self, machiaza_id: str, prefix: str = "", *, limit: int = DEFAULT_LIMIT
    ) -> list[str]:
        """地番 of a 町字 (``"12"``, ``"12-3"``) starting with ``prefix``, numerically sorted."""
        key = search_key(prefix)
        rows = self._rows(
            "SELECT chiban FROM parcel WHERE machiaza_id = ? AND chiban >= ? AND chiban < ?",
            (machiaza_id, key, prefix_upper_bound(key)),
        )
        return sorted((str(r[0]) for r in rows), key=_numeric_key)[:limit]

    def katagaki(self, address: Address, prefix: str = "") -> list[Building]:
        """方書 (buildings) registered for a structured address, filtered by name/kana prefix."""
        from kiosk.forms.master.records import Building

        scheme, number = _number_key(address)
        key = search_key(prefix)
        rows = self._rows(
            "SELECT name, kana FROM katagaki WHERE machiaza_id = ? AND scheme = ? AND number = ?"
            " ORDER BY kana",
            (address.machiaza_id, scheme, number),
        )
        return [
            Building(str(n), str(k))
            for n, k in rows
            if not key or search_key(str(n)).startswith(key) or str(k).startswith(key)
        ]

    # ------------------------------------------------------------------ building / resolving

    def address(
        self,
        machiaza_id: str,
        *,
        block: str = "",
        residence: str = "",
        chiban: str = "",
        katagaki: str = "",
    ) -> Address:
        """A complete structured address from picker choices (not yet checked: see ``lookup``)."""
        from kiosk.forms.model import Address

        m = self.machiaza(machiaza_id)
        scheme = AddressScheme.PARCEL if chiban else AddressScheme.RESIDENTIAL
        address = Address(
            scheme=scheme,
            prefecture=self.prefecture,
            city=self.city,
            lg_code=self.ward_code,
            machiaza_id=machiaza_id,
            town=m.name if m else "",
            block=block,
            residence=residence,
            chiban=chiban,
            katagaki=katagaki,
            postal_code=m.postal_code if m else "",
        )
        return dataclasses.replace(address, katagaki_listed=self._listed(address))

    def _listed(self, address: Address) -> bool:
        if not address.katagaki:
            return False
        text = search_key(address.katagaki)
        return any(text.startswith(search_key(b.name)) for b in self.katagaki(address))

    def lookup(self, address: Address) -> Resolution:
        """Resolve an address against the master; the normalised copy or a reason code."""
        if address.scheme is AddressScheme.FREE_TEXT:
            return Resolution(None, REASON_FREE_TEXT)
        if address.lg_code and address.lg_code != self.ward_code:
            return Resolution(None, REASON_OTHER_WARD)
        m = self.machiaza(address.machiaza_id) if address.machiaza_id else None
        if m is None and not address.machiaza_id and address.town:
            m = self.machiaza_by_name(address.town)
        if m is None:
            return Resolution(None, REASON_UNKNOWN_TOWN)
        if address.scheme is AddressScheme.RESIDENTIAL:
            if not m.residential:
                return Resolution(None, REASON_NOT_RESIDENTIAL)
            if address.block not in self.blocks(m.machiaza_id):
                return Resolution(None, REASON_UNKNOWN_BLOCK)
            if address.residence not in self.residences(m.machiaza_id, address.block):
                return Resolution(None, REASON_UNKNOWN_RESIDENCE)
        else:
            if not m.parcel:
                return Resolution(None, REASON_NOT_PARCEL)
            if address.chiban not in self.chiban(m.machiaza_id, address.chiban):
                return Resolution(None, REASON_UNKNOWN_CHIBAN)
        return Resolution(
            self.address(
                m.machiaza_id,
                block=address.block if address.scheme is AddressScheme.RESIDENTIAL else "",
                residence=address.residence if address.scheme is AddressScheme.RESIDENTIAL else "",
                chiban=address.chiban if address.scheme is AddressScheme.PARCEL else "",
                katagaki=address.katagaki,
            )
        )

    def resolve(self, address: Address) -> Address | None:
        """The normalised address (names, codes, postal code filled in) or None."""
        return self.lookup(address).address

    # ------------------------------------------------------------------ publication

    def info(self) -> MasterInfo:
        """Version and checksum of this master (what the intake publishes to kiosks)."""
        from kiosk.forms.master.records import MasterInfo

        counts = {
            table: int(str(self._rows(f"SELECT count(*) FROM {table}")[0][0]))  # noqa: S608
            for table in CONTENT_TABLES
        }
        return MasterInfo(
            ward_code=self.ward_code,
            prefecture=self.prefecture,
            city=self.city,
            version=str(self._meta["version"]),
            content_sha256=str(self._meta["content_sha256"]),
            imported_at=datetime.fromisoformat(self._meta["imported_at"].replace("Z", "+00:00")),
            schema_version=int(str(self._meta["schema_version"])),
            counts=counts,
        )

    def export_bundle(self, dest: Path) -> tuple[MasterInfo, str]:
        """Copy this master to ``dest`` (SQLite backup); returns its info and the file SHA-256."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        target = sqlite3.connect(tmp)
        try:
            with self._lock:
                self._db.backup(target)
        finally:
            target.close()
        shutil.move(tmp, dest)
        return self.info(), file_sha256(dest)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


_MACHIAZA_COLUMNS = (
    "machiaza_id, oaza_cho, chome, chome_number, name, kana, residential, parcel, postal_code,"
    " oaza_kana, oaza_roma"
)


def _machiaza(row: tuple[object, ...]) -> Machiaza:
    from kiosk.forms.master.records import Machiaza

    mid, oaza, chome, number, name, kana, rsdt, prc, postal, oaza_kana, oaza_roma = row
    return Machiaza(
        machiaza_id=str(mid),
        town=str(oaza),
        chome=str(chome),
        chome_number=None if number is None else int(str(number)),
        name=str(name),
        kana=str(kana),
        residential=bool(rsdt),
        parcel=bool(prc),
        postal_code=str(postal),
        town_kana=str(oaza_kana),
        roma=str(oaza_roma),
    )


def _number_key(address: Address) -> tuple[str, str]:
    if address.scheme is AddressScheme.PARCEL:
        return "parcel", address.chiban
    return "residential", f"{address.block}/{address.residence}"
