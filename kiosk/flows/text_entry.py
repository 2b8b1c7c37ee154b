"""The text-entry part: one keyboard request at a time, answered through its own callbacks."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.flows.nav import Navigator
from kiosk.flows.steps import Step, TextPurpose

#: languages whose residents write names in Japanese script (katakana on this keyboard)
JAPANESE_LANGUAGES = frozenset({"ja", "ja_easy"})


class Layout(StrEnum):
    """The key set the on-screen keyboard opens with (the resident may still switch)."""

    KANA = "kana"
    ALPHA = "alpha"
    DIGITS = "digits"


#: names of people: alphabet for foreign residents or a non-Japanese visit, else katakana
NAME_PURPOSES = frozenset(
    {
        TextPurpose.MEMBER_NAME,
        TextPurpose.EXISTING_HEAD,
        TextPurpose.FILER_NAME,
        TextPurpose.REMAINING_HEAD,
        TextPurpose.PREVIOUS_HEAD,
    }
)
#: readings are katakana whoever types them (フリガナ); so is the 筆頭者 (a Japanese register)
KANA_PURPOSES = frozenset(
    {
        TextPurpose.MEMBER_FURIGANA,
        TextPurpose.FILER_FURIGANA,
        TextPurpose.HEAD_OF_REGISTER,
        TextPurpose.HONSEKI,
        TextPurpose.HONSEKI_REST,
        TextPurpose.HONSEKI_FREE,
    }
)
#: only digits (and a hyphen) make sense
DIGIT_PURPOSES = frozenset({TextPurpose.STAFF_PIN, TextPurpose.FILER_PHONE})
#: 在留カード番号 starts with two letters
ALPHA_PURPOSES = frozenset({TextPurpose.RESIDENCE_CARD})
#: as on the residence card, or a country: alphabet unless the visit is in Japanese
CARD_WORD_PURPOSES = frozenset(
    {TextPurpose.NATIONALITY, TextPurpose.RESIDENCE_STATUS, TextPurpose.COUNTRY}
)


def initial_layout(purpose: TextPurpose, language: str, *, foreign: bool = False) -> Layout:
    """The layout the keyboard opens in for ``purpose`` in a visit in ``language``.

    ``foreign``: the visit is about foreign residents (a member declared another nationality,
    or a card name written in the alphabet). Addresses (方書, 転出先) stay in katakana.
    """
    japanese = language in JAPANESE_LANGUAGES
    if purpose in DIGIT_PURPOSES:
        return Layout.DIGITS
    if purpose in KANA_PURPOSES:
        return Layout.KANA
    if purpose in ALPHA_PURPOSES:
        return Layout.ALPHA
    if purpose in NAME_PURPOSES:
        return Layout.ALPHA if foreign or not japanese else Layout.KANA
    if purpose in CARD_WORD_PURPOSES:
        return Layout.KANA if japanese else Layout.ALPHA
    return Layout.KANA


def is_latin_name(name: str) -> bool:
    """True when a name is written in the alphabet (e.g. ``NGUYEN VAN AN`` on a card)."""
    letters = [ch for ch in name if ch.isalpha()]
    return bool(letters) and all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def foreign_visit(names: Iterable[str], nationalities: Iterable[bool | None]) -> bool:
    """Whether a visit concerns foreign residents: a latin card name or "another nationality"."""
    return any(is_latin_name(n) for n in names) or any(j is False for j in nationalities)


@dataclass(slots=True)
class TextRequest:
    """What the on-screen keyboard edits now and where the answer goes."""

    purpose: TextPurpose
    value: str
    on_done: Callable[[str], None]
    on_cancel: Callable[[], None]

    def __repr__(self) -> str:
        return f"TextRequest({self.purpose.value})"


class TextEntry:
    """Opens the keyboard for a caller and hands OK / Back back to it (no ladder by purpose)."""

    def __init__(self, nav: Navigator) -> None:
        self._nav = nav
        self.request: TextRequest | None = None

    def ask(
        self,
        purpose: TextPurpose,
        value: str,
        on_done: Callable[[str], None],
        on_cancel: Callable[[], None],
    ) -> None:
        """Open the keyboard for ``purpose`` starting from ``value``."""
        self.request = TextRequest(purpose, value, on_done, on_cancel)
        self._nav.go(Step.TEXT_ENTRY)

    def done(self, value: str) -> None:
        """The keyboard's OK (an empty value skips optional entries; the caller decides)."""
        request, self.request = self.request, None
        if request is not None:
            request.on_done(value.strip())

    def cancel(self) -> None:
        """The keyboard's back button."""
        request, self.request = self.request, None
        if request is not None:
            request.on_cancel()

    def clear(self) -> None:
        """Drop any open request (the visit ended)."""
        self.request = None
