"""Load the shipped catalogs with :mod:`gettext` and translate, with listeners for a switch."""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kiosk.i18n import GLOSSARY_PATH
from kiosk.i18n.languages import BY_CODE, Language, language
from kiosk.i18n.mo_cache import cached_mo
from kiosk.i18n.ruby import to_marked
from kiosk.i18n.ward import current_ward, fill

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "kiosk"


def po_path(code: str) -> Path:
    """The ``.po`` source of one language."""
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(code: str) -> gettext.NullTranslations:
    """gettext translations for a language, compiled from its ``.po`` in memory (cached).

    ``{ward}`` and ``{ward_office}`` are filled with the municipality's word in that language
    (:mod:`kiosk.i18n.ward`; the kiosk setting ``ward``). In a ruby language (``Language.ruby``)
    each 《base｜reading》 group then becomes the interlinear annotation markers that only the
    screens' ruby label draws (see ``kiosk.i18n.ruby``). The source language (English) shows its
    msgids except where its own small catalog corrects the wording.
    """
    return _compiled(code, current_ward())


@cache
def _compiled(code: str, ward: str) -> gettext.NullTranslations:
    path = po_path(code)
    if not path.exists():
        return gettext.NullTranslations()
    # compiled once per content, then read back on later starts (kiosk.i18n.mo_cache)
    mo = cached_mo(code, ward, (path, GLOSSARY_PATH), lambda: _compile(path, code, ward))
    return gettext.GNUTranslations(io.BytesIO(mo))


def _compile(path: Path, code: str, ward: str) -> bytes:
    # the glossary's parser and the .po reader: only when a catalog is compiled, not at start-up
    from kiosk.i18n.po import Entry, compile_mo, read_po

    ruby = language(code).ruby if code in BY_CODE else False
    entries = [
        Entry(e.msgid, _shown(fill(e.msgstr, ward, code), ruby), e.fuzzy) for e in read_po(path)
    ]
    return compile_mo(entries)


def _shown(text: str, ruby: bool) -> str:
    return to_marked(text) if ruby else text


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
