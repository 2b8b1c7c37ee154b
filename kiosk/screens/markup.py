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
