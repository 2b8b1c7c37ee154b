"""Load the shipped catalogs with :mod:`gettext` and translate, with listeners for a switch."""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kiosk.i18n.languages import BY_CODE, SOURCE_LANGUAGE, Language, language
from kiosk.i18n.po import Entry, compile_mo, read_po
from kiosk.i18n.ruby import to_marked

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "kiosk"


def po_path(code: str) -> Path:
    """The ``.po`` source of one language."""
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(code: str) -> gettext.NullTranslations:
    """gettext translations for a language, compiled from its ``.po`` in memory (cached).

    In a ruby language (``Language.ruby``) each 《base｜reading》 group becomes the interlinear
    annotation markers that only the screens' ruby label draws (see ``kiosk.i18n.ruby``).
    """
    path = po_path(code)
    if code == SOURCE_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    entries = read_po(path)
    if language(code).ruby:
        entries = [Entry(e.msgid, to_marked(e.msgstr), e.fuzzy) for e in entries]
    return gettext.GNUTranslations(io.BytesIO(compile_mo(entries)))


class Translator:
    """The current language; ``_`` translates, ``switch`` notifies listeners (the kv bindings)."""

    def __init__(self, code: str = "ja") -> None:
        self._lang = language(code)
        self._listeners: list[Callable[[], None]] = []

    @property
    def language(self) -> Language:
        """The current language."""
        return self._lang

    def _(self, msgid: str) -> str:
        """Translate a message id (English source text)."""
        return translations(self._lang.code).gettext(msgid)

    def switch(self, code: str) -> None:
        """Change language and tell every listener."""
        if code not in BY_CODE:
            log.warning("unknown language %r ignored", code)
            return
        if code == self._lang.code:
            return
        self._lang = BY_CODE[code]
        for listener in list(self._listeners):
            listener()

    def on_switch(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` after each language switch."""
        self._listeners.append(listener)


def N_(text: str) -> str:
    """Mark a constant for extraction; translate it where it is shown."""
    return text
