"""The languages a resident can choose, with the font each needs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Script(StrEnum):
    """Which UI font a language needs (SDL_ttf has no font fallback)."""

    CJK = "cjk"
    DEVANAGARI = "devanagari"


@dataclass(frozen=True, slots=True)
class Language:
    """One UI language: catalog folder, BCP 47 tag for the filing, native name."""

    code: str  # folder under locales/
    tag: str  # BCP 47, stored in the filing
    native: str
    script: Script = Script.CJK
    #: its catalog writes kanji with furigana (``kiosk.i18n.ruby``), drawn as ruby on screen
    ruby: bool = False


LANGUAGES: tuple[Language, ...] = (
    Language("ja", "ja", "日本語"),
    Language("ja_easy", "ja-x-easy", "やさしい にほんご", ruby=True),
    Language("en", "en", "English"),
    Language("zh", "zh-Hans", "中文"),
    Language("ko", "ko", "한국어"),
    Language("vi", "vi", "Tiếng Việt"),
    Language("ne", "ne", "नेपाली", Script.DEVANAGARI),
    Language("fil", "fil", "Filipino"),
)
BY_CODE = {lang.code: lang for lang in LANGUAGES}
SOURCE_LANGUAGE = "en"


def language(code: str) -> Language:
    """The language for a code; unknown codes fall back to Japanese."""
    return BY_CODE.get(code, LANGUAGES[0])
