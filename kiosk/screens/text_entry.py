"""The on-screen keyboard (katakana, alphabet, digits) for 方書, names, furigana, 転出先."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import partial

from kivy.clock import Clock
from kivy.metrics import dp, mm
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.flows.steps import TextPurpose
from kiosk.flows.text_entry import TextRequest, foreign_visit, initial_layout
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import BigButton
from kiosk.theme import MIN_TOUCH_MM

KANA = (
    "アイウエオ"
    "カキクケコ"
    "サシスセソ"
    "タチツテト"
    "ナニヌネノ"
    "ハヒフヘホ"
    "マミムメモ"
    "ヤユヨー・"
    "ラリルレロ"
    "ワヲン゛゜"
)
ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-'"
DIGITS = "1234567890-"
#: small kana the "小" key turns the last character into
SMALL = str.maketrans("アイウエオツヤユヨワ", "ァィゥェォッャュョヮ")
VOICE_MARKS = {"゛": "\u3099", "゜": "\u309a"}
MAX_CHARS = 40
#: the space key's label (a symbol: short in every language)
SPACE_KEY = "␣"
#: dp between keys
KEY_GAP = 6
#: building names offered for the 方書, side by side
SUGGESTION_COLUMNS = 3
#: the keys that switch the layout
LAYOUT_KEYS = (("kana", "カナ"), ("alpha", "ABC"), ("digits", "123"))

TITLES = {
    TextPurpose.KATAGAKI: N_("Building name and room number (方書)"),
    TextPurpose.DESTINATION: N_("Your new address (転出先)"),
    TextPurpose.MEMBER_NAME: N_("Name of the person (as on the family register)"),
    TextPurpose.MEMBER_FURIGANA: N_("Reading of the name in katakana (フリガナ)"),
    TextPurpose.EXISTING_HEAD: N_("Name of the head of the household you join"),
    TextPurpose.STAFF_PIN: N_("Staff PIN"),
    TextPurpose.HONSEKI: N_("Registered domicile (本籍): the city and the rest"),
    TextPurpose.HEAD_OF_REGISTER: N_("Head of the family register (筆頭者)"),
    TextPurpose.NATIONALITY: N_("Nationality or region (国籍・地域)"),
    TextPurpose.RESIDENCE_CARD: N_("Residence card number (在留カード番号)"),
    TextPurpose.RESIDENCE_STATUS: N_("Status of residence (在留資格)"),
    TextPurpose.ALIAS: N_("Registered alias (通称), if any"),
    TextPurpose.FILER_NAME: N_("Name of the person filing"),
    TextPurpose.FILER_FURIGANA: N_("Reading of the name in katakana (フリガナ)"),
    TextPurpose.FILER_ADDRESS: N_("Address of the representative"),
    TextPurpose.FILER_PHONE: N_("Phone number of the representative"),
    TextPurpose.REMAINING_HEAD: N_("Name of the new head of those who stay"),
    TextPurpose.PREVIOUS_HEAD: N_("Name of the head of household until now"),
    TextPurpose.COUNTRY: N_("Country you move to (国名)"),
    TextPurpose.HONSEKI_REST: N_("Registered domicile (本籍): the rest after the municipality"),
    TextPurpose.HONSEKI_FREE: N_("Registered domicile (本籍): the whole address"),
}
HINTS = {
    TextPurpose.KATAGAKI: N_("If you live in a house without a building name, touch None."),
    TextPurpose.DESTINATION: N_("Prefecture, city and the rest of the address."),
    TextPurpose.MEMBER_NAME: N_("Katakana or alphabet. Staff will add the kanji."),
    TextPurpose.MEMBER_FURIGANA: "",
    TextPurpose.EXISTING_HEAD: N_("Katakana or alphabet. Staff will add the kanji."),
    TextPurpose.STAFF_PIN: "",
    TextPurpose.HONSEKI: N_("Kana, alphabet or digits. Staff will add the kanji."),
    TextPurpose.HEAD_OF_REGISTER: N_("Katakana or alphabet. Staff will add the kanji."),
    TextPurpose.NATIONALITY: N_("As written on your residence card (在留カード)."),
    TextPurpose.RESIDENCE_CARD: N_("2 letters, 8 digits, 2 letters (e.g. AB12345678CD)."),
    TextPurpose.RESIDENCE_STATUS: N_("As written on your residence card (在留カード)."),
    TextPurpose.ALIAS: N_("Only if an alias is registered for you. Otherwise touch OK."),
    TextPurpose.FILER_NAME: N_("Katakana or alphabet. Staff will add the kanji."),
    TextPurpose.FILER_FURIGANA: "",
    TextPurpose.FILER_ADDRESS: N_("Prefecture, city and the rest of the address."),
    TextPurpose.FILER_PHONE: N_("So that the counter can call you, e.g. 03-1234-5678."),
    TextPurpose.REMAINING_HEAD: N_("Katakana or alphabet. Staff will add the kanji."),
    TextPurpose.PREVIOUS_HEAD: N_("Katakana or alphabet. Staff will add the kanji."),
    TextPurpose.COUNTRY: N_("Katakana or alphabet, e.g. ベトナム."),
    TextPurpose.HONSEKI_REST: N_("Kana, alphabet or digits. Staff will add the kanji."),
    TextPurpose.HONSEKI_FREE: N_("Kana, alphabet or digits. Staff will add the kanji."),
}


def key_id(char: str) -> str:
    """The stable id of a key: ``kb_30a2`` for ア."""
    return f"kb_{ord(char):04x}"


class TextEntryScreen(KioskScreen):
    """Keys append to a buffer shown above; OK hands it to the flow."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._fitting = False  # the keys follow the scroll area's height (bound once)
        self.mode = "kana"
        self.value = ""
        #: the request the buffer was started for (a new request starts afresh, even when the
        #: keyboard stays on screen: the フリガナ asked right after the name is typed once)
        self._request: object = None

    def on_pre_enter(self, *_args: object) -> None:
        """Start from the flow's current value."""
        self._start(self.flow.text.request)

    def _start(self, request: TextRequest | None) -> None:
        self._request = request
        self.value = request.value if request else ""
        purpose = request.purpose if request else None
        if purpose is None:
            self.mode = "kana"
            return
        visit = self.flow.visit  # the layout that fits the field and the language (issue 12)
        foreign = foreign_visit((m.name for m in visit.members if m.from_chip),
                                (m.japanese for m in visit.members))  # fmt: skip
        self.mode = initial_layout(purpose, visit.language, foreign=foreign).value

    def build_body(self) -> None:
        """Title, display, suggestions, keys, footer."""
        request = self.flow.text.request
        if request is None:
            return
        if request is not self._request:
            self._start(request)
        purpose = request.purpose
        self.title(self._(TITLES[purpose]))
        suggestions = (
            self.flow.address.building_suggestions() if purpose is TextPurpose.KATAGAKI else []
        )
        crowded = bool(suggestions) and self.app.large_text and not self.app.portrait
        if HINTS[purpose] and not crowded:  # large text, landscape: the keys need the room
            self.hint(self._(HINTS[purpose]))
        shown = "●" * len(self.value) if purpose is TextPurpose.STAFF_PIN else self.value
        beside = bool(suggestions) and not self.app.portrait
        row = BoxLayout(spacing=dp(12), size_hint_y=None) if beside else None
        if row is not None:  # the building names beside the typed text: the keys keep the room
            self.ids.body.add_widget(row)
        self._display = self.typed_box(shown, parent=row)  # a framed box with a caret (issue 12)
        self._display.font_size = self.app.title_px
        if row is not None:
            row.bind(minimum_height=row.setter("height"))
            for i, name in enumerate(suggestions):
                chip = self.button(f"text_sug_{i}", name, partial(self._set, name), role="chip",
                                   parent=row, compact=True)  # fmt: skip
                chip.size_hint_x = 1 / len(suggestions)
        elif suggestions:
            grid = self.grid(min(len(suggestions), SUGGESTION_COLUMNS))
            for i, name in enumerate(suggestions):
                self.button(f"text_sug_{i}", name, partial(self._set, name), role="chip",
                            parent=grid, compact=True)  # fmt: skip
        self._keyboard(with_modes=purpose is not TextPurpose.STAFF_PIN)
        self.footer_button("text_back", self._("Back"), self.flow.text.cancel, role="secondary")
        if purpose is TextPurpose.KATAGAKI:
            self.footer_button(
                "text_none", self._("None"), lambda: self.flow.text.done(""), role="chip"
            )
        self.footer_button("text_ok", self._("OK"), lambda: self.flow.text.done(self.value))

    def _keyboard(self, *, with_modes: bool) -> None:
        """The keys in rows, the editing keys (小, space, ←) as the column right of them, and
        the layout switches as a further column (above the keys on an upright panel). Keys
        shrink to fit the screen (never under 15 mm), so that no key is below the fold."""
        modes = [(f"kb_mode_{m}", label, partial(self._mode, m), m == self.mode)
                 for m, label in LAYOUT_KEYS]  # fmt: skip
        side_modes = with_modes and not self.app.portrait
        if with_modes and not side_modes:
            row = self.row()
            for kiosk_id, label, switch, chosen in modes:
                self.button(kiosk_id, label, switch, role="primary" if chosen else "chip",
                            parent=row)  # fmt: skip
        keys, per_row = {"kana": (KANA, 10), "alpha": (ALPHA, 10), "digits": (DIGITS, 4)}[self.mode]
        edits: list[tuple[str, str, Callable[[], None]]] = []
        if self.mode == "kana":
            edits.append(("kb_small", "小", self._small))
        edits += [("kb_space", SPACE_KEY, partial(self._key, " ")), ("kb_del", "←", self._delete)]
        rows = max(-(-len(keys) // per_row), len(edits), len(modes) if side_modes else 0)
        grid = self.grid(per_row + 1 + int(side_modes))
        grid.spacing = dp(KEY_GAP)
        self._key_grid = grid
        for r in range(rows):
            for char in keys[r * per_row : (r + 1) * per_row].ljust(per_row, "\0"):
                if char == "\0":
                    self._gap(grid)
                else:
                    self.button(key_id(char), char, partial(self._key, char), role="secondary",
                                parent=grid, compact=True)  # fmt: skip
            if r < len(edits):
                kiosk_id, label, action = edits[r]
                self.button(kiosk_id, label, action, role="secondary", parent=grid, compact=True)
            else:
                self._gap(grid)
            if side_modes:
                if r < len(modes):
                    kiosk_id, label, switch, chosen = modes[r]
                    self.button(kiosk_id, label, switch, role="primary" if chosen else "chip",
                                parent=grid, compact=True)  # fmt: skip
                else:
                    self._gap(grid)
        for key in grid.children:
            if isinstance(key, BigButton):
                key.keep_in_view = True  # a key scrolled away is never excused by the cue
        if not self._fitting:
            self._fitting = True
            self.ids.scroll.bind(height=lambda *_a: self._fit_keys())
        for other in self.ids.body.children:  # the text shown above grows as it wraps
            if other is not grid:
                other.bind(height=lambda *_a: self._fit_keys())
        Clock.schedule_once(lambda _dt: self._fit_keys(), 0)

    def _gap(self, grid: Widget) -> None:
        grid.add_widget(Widget(size_hint_y=None, height=self.app.key_px))

    def _fit_keys(self) -> None:
        """Keys as tall as the room left under the text allows: key_px at most, 15 mm at least."""
        grid = getattr(self, "_key_grid", None)
        body = self.ids.body
        if grid is None or grid not in body.children or not grid.cols:
            return
        others = sum(c.height for c in body.children if c is not grid)
        room = self.ids.scroll.height - others - body.spacing * (len(body.children) - 1)
        rows = -(-len(grid.children) // grid.cols)
        height = (room - grid.spacing[1] * (rows - 1)) / max(rows, 1)
        height = max(mm(MIN_TOUCH_MM), min(self.app.key_px, height))
        for key in grid.children:
            key.height = height

    def _show(self) -> None:
        request = self.flow.text.request
        secret = request is not None and request.purpose is TextPurpose.STAFF_PIN
        self._display.text = self.show(("●" * len(self.value) if secret else self.value) or " ")

    def _set(self, text: str) -> None:
        self.value = text[:MAX_CHARS]
        self._show()

    def _mode(self, mode: str) -> None:
        self.mode = mode
        self.refresh()

    def _key(self, char: str) -> None:
        if char in VOICE_MARKS:
            if self.value:
                combined = unicodedata.normalize("NFC", self.value[-1] + VOICE_MARKS[char])
                if len(combined) == 1:
                    self.value = self.value[:-1] + combined
            self._show()
            return
        if len(self.value) < MAX_CHARS:
            self.value += char
        self._show()

    def _small(self) -> None:
        if self.value:
            self.value = self.value[:-1] + self.value[-1].translate(SMALL)
        self._show()

    def _delete(self) -> None:
        self.value = self.value[:-1]
        self._show()

    def wipe(self) -> None:
        """Forget the typed text."""
        self.value = ""
        self._request = None
        super().wipe()


SCREEN = TextEntryScreen
