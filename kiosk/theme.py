"""Fonts and colour themes of the app (Kivy's font registry; no screens here)."""

from __future__ import annotations

import logging
from pathlib import Path

from kivy.core.text import LabelBase

log = logging.getLogger(__name__)

FONT_CJK = "KioskCJK"
FONT_DEVANAGARI = "KioskDevanagari"
DEVANAGARI_FILES = (
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf",
)
#: Noto Sans CJK (fonts-noto-cjk): the same files as ``kiosk.forms.fonts`` resolves, found here
#: without importing the forms' font tools (fontTools costs start-up time the UI does not need)
CJK_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/noto-cjk")
CJK_REGULAR, CJK_BOLD = "NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"
TEXT_PX, TITLE_PX = 26, 36
LARGE_FACTOR = 1.3
MIN_TOUCH_MM = 15
#: the screen body's padding on each side (``<KioskScreen>`` in widgets.kv)
SCREEN_PAD_DP = 28
#: the gap between the body's rows and between grid cells (widgets.kv, ``KioskScreen.grid``)
GAP_DP = 12
#: a button's text is this much narrower than the button (``<BigButton>`` in widgets.kv)
BUTTON_TEXT_INSET_DP = 16

THEMES: dict[str, dict[str, tuple[float, float, float, float]]] = {
    "normal": {
        "bg": (0.97, 0.97, 0.95, 1), "fg": (0.08, 0.09, 0.12, 1),
        "accent": (0.02, 0.32, 0.66, 1), "button_fg": (1, 1, 1, 1),
        "secondary": (0.86, 0.87, 0.89, 1), "chip": (0.80, 0.87, 0.96, 1),
        "warn": (0.72, 0.18, 0.10, 1), "pressed": (0.45, 0.55, 0.70, 1),
    },
    "contrast": {
        "bg": (0, 0, 0, 1), "fg": (1, 1, 1, 1),
        "accent": (1, 0.85, 0, 1), "button_fg": (0, 0, 0, 1),
        "secondary": (0.18, 0.18, 0.18, 1), "chip": (0.12, 0.22, 0.40, 1),
        "warn": (1, 0.45, 0.35, 1), "pressed": (0.5, 0.5, 0.5, 1),
    },
}  # fmt: skip


def cjk_font_files() -> tuple[str, str]:
    """Regular and bold Noto Sans CJK collections (face 0 is JP)."""
    for folder in CJK_DIRS:
        regular, bold = Path(folder, CJK_REGULAR), Path(folder, CJK_BOLD)
        if regular.exists():
            return str(regular), str(bold if bold.exists() else regular)
    raise FileNotFoundError(f"{CJK_REGULAR} (install fonts-noto-cjk)")


def register_fonts() -> None:
    """Noto Sans CJK JP for everything; Noto Sans Devanagari for Nepali UI text."""
    regular, bold = cjk_font_files()
    LabelBase.register(FONT_CJK, fn_regular=regular, fn_bold=bold)
    if all(Path(p).exists() for p in DEVANAGARI_FILES):
        LabelBase.register(
            FONT_DEVANAGARI, fn_regular=DEVANAGARI_FILES[0], fn_bold=DEVANAGARI_FILES[1]
        )
    else:
        log.warning("fonts-noto-core missing: Nepali falls back to the CJK font")
