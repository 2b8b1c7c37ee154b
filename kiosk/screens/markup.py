"""Text for widgets: markup-escaped, and for Devanagari UIs other scripts set in the CJK font.

SDL_ttf has no font fallback, and Noto Sans Devanagari has no Latin or kanji: Nepali texts with
"PIN" or "(方書)" would show boxes. Runs outside Devanagari get a ``[font=…]`` markup span.
"""

from __future__ import annotations

import re

from kivy.utils import escape_markup

DEVANAGARI = re.compile(r"([^\u0900-\u097F\s।॥,.!?:;'\"()\-–—/0-9०-९]+)")


def widget_text(text: str, *, devanagari: bool, other_font: str) -> str:
    """Escape ``text`` for markup; wrap non-Devanagari runs when the UI font is Devanagari."""
    safe = str(escape_markup(text))
    if not devanagari:
        return safe
    return DEVANAGARI.sub(lambda m: f"[font={other_font}]{m.group(1)}[/font]", safe)


#: a run of Devanagari words (with the spaces and punctuation between them)
DEVANAGARI_RUN = re.compile(r"[\u0900-\u097F]+(?:[\s,.!?:;'\"()\-–—/]+[\u0900-\u097F]+)*")


def data_text(text: str, *, devanagari_font: str | None) -> str:
    """Escape ``text`` for a data label (set in the CJK face); with a Devanagari UI, its
    translated words (a row's label beside the data) get a ``[font=…]`` span in that face."""
    safe = str(escape_markup(text))
    if devanagari_font is None:
        return safe
    return DEVANAGARI_RUN.sub(lambda m: f"[font={devanagari_font}]{m.group(0)}[/font]", safe)
