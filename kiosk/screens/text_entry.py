"""The on-screen keyboard (katakana, alphabet, digits) for 方書, names, furigana, 転出先."""

from __future__ import annotations

import unicodedata
from functools import partial

from kiosk.flows.steps import TextPurpose
from kiosk.flows.text_entry import TextRequest
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

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
}


def key_id(char: str) -> str:
    """The stable id of a key: ``kb_30a2`` for ア."""
    return f"kb_{ord(char):04x}"


class TextEntryScreen(KioskScreen):
    """Keys append to a buffer shown above; OK hands it to the flow."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
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
        self.mode = "digits" if purpose is TextPurpose.STAFF_PIN else "kana"

    def build_body(self) -> None:
        """Title, display, suggestions, keys, footer."""
        request = self.flow.text.request
        if request is None:
            return
        if request is not self._request:
            self._start(request)
        purpose = request.purpose
        self.title(self._(TITLES[purpose]))
        if HINTS[purpose]:
            self.hint(self._(HINTS[purpose]))
        shown = "●" * len(self.value) if purpose is TextPurpose.STAFF_PIN else self.value
        self._display = self.text(shown or " ", data=True)
        self._display.font_size = self.app.title_px
        if purpose is TextPurpose.KATAGAKI:
            for i, name in enumerate(self.flow.address.building_suggestions()):
                self.button(f"text_sug_{i}", name, partial(self._set, name), role="chip")
        if purpose is not TextPurpose.STAFF_PIN:
            modes = self.row()
            for mode, label in (("kana", "カナ"), ("alpha", "ABC"), ("digits", "123")):
                role = "primary" if mode == self.mode else "chip"
                self.button(
                    f"kb_mode_{mode}", label, partial(self._mode, mode), role=role, parent=modes
                )
        keys = {"kana": KANA, "alpha": ALPHA, "digits": DIGITS}[self.mode]
        grid = self.grid(10 if self.mode != "digits" else 6)
        for char in keys:
            self.button(
                key_id(char),
                char,
                partial(self._key, char),
                role="secondary",
                parent=grid,
                compact=True,
            )
        if self.mode == "kana":
            self.button("kb_small", "小", self._small, role="secondary", parent=grid, compact=True)
        self.button(
            "kb_space",
            SPACE_KEY,
            partial(self._key, " "),
            role="secondary",
            parent=grid,
            compact=True,
        )
        self.button("kb_del", "←", self._delete, role="secondary", parent=grid, compact=True)
        self.footer_button("text_back", self._("Back"), self.flow.text.cancel, role="secondary")
        if purpose is TextPurpose.KATAGAKI:
            self.footer_button(
                "text_none", self._("None"), lambda: self.flow.text.done(""), role="chip"
            )
        self.footer_button("text_ok", self._("OK"), lambda: self.flow.text.done(self.value))

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
