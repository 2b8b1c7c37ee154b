"""The address picker over the ward's master: 町 → 丁目 → 街区 → 号, or 地番."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.flows.town_search import NO_MATCH, matches_reading
from kiosk.forms.master import AddressMaster
from kiosk.forms.master.records import Machiaza
from kiosk.forms.model import Address

#: every town of a ward fits (Shinjuku has about 100 町); the search narrows them down
ALL_TOWNS = 2000
#: the listed 方書 building named under a 号 button ("…" when more are listed: the button is small)
MORE_BUILDINGS = "…"

#: the kana rows residents search by (first kana of each row → all initials of the row)
KANA_ROWS: dict[str, str] = {
    "ア": "アイウエオ",
    "カ": "カキクケコガギグゲゴ",
    "サ": "サシスセソザジズゼゾ",
    "タ": "タチツテトダヂヅデド",
    "ナ": "ナニヌネノ",
    "ハ": "ハヒフヘホバビブベボパピプペポ",
    "マ": "マミムメモ",
    "ヤ": "ヤユヨ",
    "ラ": "ラリルレロ",
    "ワ": "ワヲン",
}


class Level(StrEnum):
    """Where the picker is."""

    TOWN = "town"
    CHOME = "chome"
    BLOCK = "block"
    RESIDENCE = "residence"
    CHIBAN = "chiban"


@dataclass(frozen=True, slots=True)
class Option:
    """One button of the picker: ``key`` goes back into ``choose``; ``label`` is shown."""

    key: str
    label: str
    hint: str = ""  # the kana reading
    roma: str = ""  # the romaji name (ABR ``*_roma``), "" when the master has none


class AddressPicker:
    """Stateful picker; ``choose`` returns the finished address at the last level."""

    def __init__(self, master: AddressMaster) -> None:
        self.master = master
        self.level = Level.TOWN
        self.kana_row = ""
        #: the search by reading (kana or latin letters) typed so far; "" lists every town
        self.query = ""
        self.searching = False
        self.town = ""
        self.machiaza_id = ""
        self.block = ""
        self.trail: list[str] = []

    def options(self) -> list[Option]:
        """The buttons for the current level."""
        if self.level is Level.TOWN:
            towns = self.master.towns("", limit=ALL_TOWNS)
            if self.query:
                ranked = [(matches_reading(self.query, t.name, t.kana, t.roma), t) for t in towns]
                towns = [t for rank, t in sorted(ranked, key=lambda r: r[0]) if rank != NO_MATCH]
            elif self.kana_row:
                initials = KANA_ROWS.get(self.kana_row, self.kana_row)
                towns = [t for t in towns if t.kana[:1] in initials]
            return [Option(t.name, t.name, t.kana, t.roma) for t in towns]
        if self.level is Level.CHOME:
            return [_chome_option(m) for m in self.master.chome(self.town)]
        if self.level is Level.BLOCK:
            return [Option(b, f"{b}番") for b in self.master.blocks(self.machiaza_id)]
        if self.level is Level.RESIDENCE:
            return [
                Option(r, f"{r}号", self._buildings_at(r))
                for r in self.master.residences(self.machiaza_id, self.block)
            ]
        return [Option(c, f"{c}番地") for c in self.master.chiban(self.machiaza_id)]

    def _buildings_at(self, residence: str) -> str:
        """The 方書 buildings the master lists at this 号 (shown under it: an apartment resident
        recognises their building and switches the 方書 choice on)."""
        address = self.master.address(self.machiaza_id, block=self.block, residence=residence)
        if address is None:
            return ""
        names = [b.name for b in self.master.katagaki(address)]
        return names[0] + (MORE_BUILDINGS if len(names) > 1 else "") if names else ""

    def choose(self, key: str) -> Address | None:
        """Take one choice; the address once the last level is chosen."""
        if self.level is Level.TOWN:
            chome = self.master.chome(key)
            self.town = key
            self.trail = [key]
            if len(chome) == 1 and not chome[0].chome:
                self._enter_machiaza(chome[0].machiaza_id)
            else:
                self.level = Level.CHOME
            return None
        if self.level is Level.CHOME:
            m = self.master.machiaza(key)
            self.trail.append(m.chome if m else key)
            self._enter_machiaza(key)
            return None
        if self.level is Level.BLOCK:
            self.block = key
            self.trail.append(f"{key}番")
            self.level = Level.RESIDENCE
            return None
        if self.level is Level.RESIDENCE:
            return self.master.address(self.machiaza_id, block=self.block, residence=key)
        return self.master.address(self.machiaza_id, chiban=key)

    def can_use_parcel(self) -> bool:
        """True when the current 町字 also has 地番 (offered as an alternative to 街区)."""
        if self.level is not Level.BLOCK:
            return False
        m = self.master.machiaza(self.machiaza_id)
        return bool(m and m.parcel)

    def use_parcel(self) -> None:
        """Switch from 街区 to 地番 for this 町字."""
        self.level = Level.CHIBAN

    def _enter_machiaza(self, machiaza_id: str) -> None:
        m = self.master.machiaza(machiaza_id)
        self.machiaza_id = machiaza_id
        self.level = Level.BLOCK if m is not None and m.residential else Level.CHIBAN

    def back(self) -> bool:
        """One level up; False when already at the top."""
        order = [Level.TOWN, Level.CHOME, Level.BLOCK, Level.RESIDENCE]
        if self.level is Level.TOWN:
            if self.kana_row or self.query or self.searching:
                self.kana_row = self.query = ""
                self.searching = False
                return True
            return False
        if self.level in (Level.BLOCK, Level.CHIBAN):
            chome = self.master.chome(self.town)
            self.level = Level.TOWN if len(chome) == 1 and not chome[0].chome else Level.CHOME
        else:
            self.level = order[order.index(self.level) - 1]
        if self.trail:
            self.trail.pop()
        return True

    def search(self, query: str) -> None:
        """Filter the towns by what the resident typed (kana or latin letters)."""
        self.searching = True
        self.query = query
        self.kana_row = ""

    def list_all(self) -> None:
        """Leave the search for the whole town list."""
        self.searching = False
        self.query = self.kana_row = ""

    @property
    def path_roma(self) -> str:
        """The 町 / 丁目 picked so far in romaji (``Shinjuku 3-chome``); "" without romaji."""
        if self.level is Level.TOWN:
            return ""
        m = self.master.machiaza(self.machiaza_id) if self.level is not Level.CHOME else None
        if m is None:
            return next((t.roma for t in self.master.towns(self.town) if t.name == self.town), "")
        if not m.roma:
            return ""
        chome = chome_roma(m)
        return m.roma if chome == m.roma else f"{m.roma} {chome}"

    @property
    def path_text(self) -> str:
        """What was picked so far, e.g. ``新宿 三丁目 5番``."""
        return " ".join(self.trail)


def chome_roma(m: Machiaza) -> str:
    """The romaji of a 丁目 (ABR has no romaji column for it): ``3-chome``; else the 町 romaji."""
    if m.chome and m.chome_number is not None:
        return f"{m.chome_number}-chome"
    return m.roma


def _chome_option(m: Machiaza) -> Option:
    kana = m.kana if not m.chome else m.kana.removeprefix(m.town_kana)
    return Option(m.machiaza_id, m.chome or m.name, kana, chome_roma(m))
