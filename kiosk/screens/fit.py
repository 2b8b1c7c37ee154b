"""How many buttons a row of a grid holds without a line break cutting a Latin word in two.

Kivy wraps a word wider than its label between two letters (``Ichigayayakuojim`` / ``achi``),
which a reader takes for two words. A list of romaji names gets fewer, wider columns instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kivy.core.text import Label as CoreLabel
from kivy.metrics import dp

from kiosk.theme import BUTTON_TEXT_INSET_DP, FONT_CJK, GAP_DP, SCREEN_PAD_DP

#: a word of Latin letters (Vietnamese and Filipino included); Japanese and Chinese wrap
#: between any two characters, so they have no words here
LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’]{2,}")


def text_room(panel_width: float, cols: int) -> float:
    """The width a button's text has in a grid of ``cols`` across the screen body."""
    body = panel_width - 2 * dp(SCREEN_PAD_DP) - dp(GAP_DP) * (cols - 1)
    return float(body / cols - dp(BUTTON_TEXT_INSET_DP))


def columns_fitting(texts: Iterable[str], most: int, panel_width: float, font_px: float) -> int:
    """The most columns (at most ``most``) in which every Latin word of ``texts`` fits one line.

    Latin text is drawn in the CJK face in every language (the Nepali UI switches to it for
    Latin runs), so that face measures it.
    """
    words = {word for text in texts for word in LATIN_WORD.findall(text)}
    if not words:
        return most
    measure = CoreLabel(font_name=FONT_CJK, font_size=font_px)
    widest = max(measure.get_extents(word)[0] for word in words)
    return next((n for n in range(most, 1, -1) if widest <= text_room(panel_width, n)), 1)
