"""The address picker: 町 (by kana row or a search by reading) → 丁目 → 街区 → 号, or 地番.

Each 町 / 丁目 shows its reading: the kana for Japanese visits, the master's romaji name for every
other language (``Shinjuku`` over ``新宿``). The search (one touch above the list) takes kana in
Japanese visits and Latin letters in the others; the matches show above its keys as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kivy.core.window import Window

from kiosk.flows.address_picker import KANA_ROWS, Level, Option
from kiosk.flows.text_entry import JAPANESE_LANGUAGES
from kiosk.forms.model import FilingKind
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.fit import columns_fitting

HINTS = {
    Level.TOWN: N_("Choose the town (町)."),
    Level.CHOME: N_("Choose the district (丁目)."),
    Level.BLOCK: N_("Choose the block number (街区, 〇番)."),
    Level.RESIDENCE: N_("Choose the house number (〇号)."),
    Level.CHIBAN: N_("Choose the lot number (地番)."),
}
SEARCH_KANA_HINT = N_("Type the reading of the town (e.g. シンジュク).")
SEARCH_LATIN_HINT = N_("Type the town name in Latin letters (e.g. Shinjuku).")
SEARCH_SHOWN = N_("Search: {query}")
NO_MATCH = N_("No town matches. Delete a letter.")
SEARCH_BUTTON = N_("Search by reading")
BUILDING_CHOICE = N_(
    "I live in an apartment or other building (I will type its name and room number)"
)
SEARCH_LATIN_BUTTON = N_("Search by name in Latin letters")
LIST_BUTTON = N_("All towns")
MORE_MATCHES = N_("{count} more: type more letters.")
#: matches shown above the search keys: one row of three (two on an upright panel), so that
#: the typed text, the matches and every key fit 1280×800 without scrolling
MAX_SHOWN = 3
MAX_SHOWN_UPRIGHT = 6
#: large text on a wide panel: two one-line matches (name and reading side by side)
MAX_SHOWN_LARGE = 2
#: search keys: the kana without voicing marks (a search ignores them), or the latin letters
SEARCH_KANA = (
    "アイウエオ" "カキクケコ" "サシスセソ" "タチツテト" "ナニヌネノ"
    "ハヒフヘホ" "マミムメモ" "ヤユヨワン" "ラリルレロ" "ー"
)  # fmt: skip
SEARCH_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_QUERY = 12
#: the levels that end the address (the 方書 choice is offered there: H11U)
LAST_LEVELS = (Level.RESIDENCE, Level.CHIBAN)


def search_key_id(char: str) -> str:
    """The stable id of a search key: ``srch_0053`` for S."""
    return f"srch_{ord(char):04x}"


def option_label(option: Option, japanese: bool) -> str:
    """Name and reading on two lines: ``新宿`` / ``シンジュク``, or ``Shinjuku`` / ``新宿``."""
    if not japanese and option.roma:
        return f"{option.roma}\n{option.label}"
    return f"{option.label}\n{option.hint}" if option.hint else option.label


class AddressScreen(KioskScreen):
    """One list per level, fed by the master."""

    def build_body(self) -> None:
        """Path so far, then the search (matches above its keys) or the kana rows and the list."""
        flow = self.flow
        part = flow.address
        picker = part.picker
        if picker is None:
            return
        japanese = flow.visit.language in JAPANESE_LANGUAGES
        if flow.visit.kind is FilingKind.HOUSEHOLD_RESTRUCTURE:
            self.title(self._("Choose your address"))
        self.hint(self._(HINTS[picker.level]))
        if picker.path_text:
            roma = "" if japanese else picker.path_roma
            shown = f"{part.master.city} {picker.path_text}"
            self.text(f"{shown}\n{roma}" if roma else shown, data=True)
        searching = picker.level is Level.TOWN and picker.searching
        self._footer_words: list[tuple[str, str, Callable[[], None]]] = []
        if searching:
            self._search(SEARCH_KANA if japanese else SEARCH_LATIN, japanese)
        else:
            if picker.level is Level.TOWN:
                self._list_head(japanese)
            if picker.level in (Level.RESIDENCE, Level.CHIBAN):
                # chosen before the last number: with it on, the 号 / 地番 opens the 方書 keyboard
                self.button(
                    "addr_katagaki",
                    self._(BUILDING_CHOICE),
                    part.toggle_building,
                    role="primary" if part.has_building else "chip",
                    tall=self.app.portrait or self.app.large_text,  # two lines there
                )
            self._options(picker.options(), japanese)
        if picker.can_use_parcel():
            self.button(
                "addr_parcel",
                self._("My address uses a lot number (地番)"),
                part.use_parcel,
                role="chip",
            )
        self.footer_button("addr_back", self._("Back"), part.back, role="secondary")
        for kiosk_id, text, action in self._footer_words:
            self.footer_button(kiosk_id, text, action, role="chip")

    def _options(self, shown: list[Option], japanese: bool, *, one_line: bool = False) -> None:
        """The buttons of the current level; 町 and 丁目 with their reading (``one_line``: the
        reading beside the name, for the search matches in large text on a wide panel)."""
        picker = self.flow.address.picker
        if picker is None:
            return
        named = picker.level in (Level.TOWN, Level.CHOME) and not one_line
        buildings = picker.level is Level.RESIDENCE and any(o.hint for o in shown)
        cols = 4 if picker.level in (Level.BLOCK, Level.RESIDENCE) else 2 if one_line else 3
        if buildings and (self.app.portrait or self.app.large_text):
            cols = 2  # room for the building's name under its 号
        if named and not japanese:  # long romaji names get wider buttons, not a broken word
            romaji = [option.roma for option in shown if option.roma]
            cols = columns_fitting(romaji, cols, Window.width, self.app.text_px)
        options = self.grid(cols)
        for option in shown:
            label = option_label(option, japanese) if named or one_line else option.label
            if buildings and option.hint:  # the listed building under its 号
                label = f"{option.label}\n{option.hint}"
            self.button(
                f"addr_{option.key}",
                label.replace("\n", "  ") if one_line else label,
                partial(self.flow.address.pick, option.key),
                role="secondary",
                parent=options,
                tall=named or buildings,
            )

    def _list_head(self, japanese: bool) -> None:
        """The way to the search (by kana, or by Latin letters), then the ア/カ/サ… index."""
        part = self.flow.address
        picker = part.picker
        if picker is None:
            return
        label = SEARCH_BUTTON if japanese else SEARCH_LATIN_BUTTON
        self.button("addr_search", self._(label), lambda: part.search(""), role="chip")
        rows = self.grid(6 if self.app.portrait or self.app.large_text else 11)
        self.button(
            "kana_all", self._("All"), lambda: part.pick_kana_row(""), role="chip", parent=rows
        )
        for row in KANA_ROWS:
            role = "primary" if row == picker.kana_row else "chip"
            self.button(
                f"kana_{row}", row, partial(part.pick_kana_row, row), role=role, parent=rows
            )

    def _search(self, keys: str, japanese: bool) -> None:
        """The typed reading, the first matches, then the keys (each filters at once)."""
        part = self.flow.address
        picker = part.picker
        if picker is None:
            return
        query = picker.query
        matches = picker.options()
        compact = self.app.large_text and not self.app.portrait
        shown = MAX_SHOWN_LARGE if compact else MAX_SHOWN
        if self.app.portrait:
            shown = MAX_SHOWN_UPRIGHT
        if query:
            line = self._(SEARCH_SHOWN).format(query=query)
        else:
            line = self._(SEARCH_KANA_HINT if japanese else SEARCH_LATIN_HINT)
        if not matches:
            line = f"{line}  {self._(NO_MATCH)}"
        elif len(matches) > shown:
            line = f"{line}  {self._(MORE_MATCHES).format(count=len(matches) - shown)}"
        self.hint(line)  # in place of "choose the town": the keys need the room
        self._options(matches[:shown], japanese, one_line=compact)
        cols = 7 if self.app.portrait else 12 if japanese else 10
        grid = self.grid(cols)
        for char in keys:
            typed = (query + char)[:MAX_QUERY]
            self.button(
                search_key_id(char),
                char,
                partial(part.search, typed),
                role="secondary",
                parent=grid,
                compact=True,
            )
        self.button(
            "srch_del", "←", partial(part.search, query[:-1]), role="secondary", parent=grid,
            compact=True,
        )  # fmt: skip
        # words (too wide for a key in some languages) go to the footer, after "back"
        self._footer_words = [
            ("srch_clear", self._("Clear"), partial(part.search, "")),
            ("addr_list", self._(LIST_BUTTON), part.list_all),
        ]


SCREEN = AddressScreen
