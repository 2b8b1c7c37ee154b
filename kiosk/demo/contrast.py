"""Text contrast measured in rendered screenshots (WCAG 2 relative luminance).

The scripted runner writes, beside every screenshot ``x.png``, a ``x.json`` with the window box of
each text it drew (``observe.text_boxes``). Here each box is cut from the picture; its dominant
colour is the background; the text's is found among the other pixels ranked by contrast to it,
a little way down from the top (``RANK_SHARE``): anti-aliased edge pixels lie between the two
colours, so they never win, and one stray pixel does not either. What
the theme meant to draw does not matter: only the pixels a resident sees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

#: WCAG 2 AA for body text, and the high-contrast theme's aim
AA_RATIO = 4.5
AAA_RATIO = 7.0
#: the box is shrunk by this many pixels on each side (frames, rounding at the edges)
INSET_PX = 2
#: the text colour is the one this far down the non-background pixels ranked by contrast (not
#: the very first: a stray pixel is no text). Small glyphs (゜, thin strokes of a kanji under
#: ruby) have only a few pixels of the full colour among many anti-aliased ones.
RANK_SHARE = 0.02
MIN_RANK = 1


def _channel(value: int) -> float:
    """An sRGB channel (0..255) linearised."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


#: the 256 linearised channel values (a gallery measures millions of pixel colours)
_LINEAR = tuple(_channel(v) for v in range(256))


@lru_cache(maxsize=65536)
def luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance of an sRGB colour (0..255 channels)."""
    r, g, b = rgb[:3]
    return 0.2126 * _LINEAR[r] + 0.7152 * _LINEAR[g] + 0.0722 * _LINEAR[b]


def ratio(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """WCAG contrast ratio of two colours (1..21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class TextContrast:
    """One text's measured colours."""

    name: str
    background: tuple[int, int, int]
    text: tuple[int, int, int]
    ratio: float


def measure_box(picture: Image.Image, box: list[int], name: str = "") -> TextContrast | None:
    """The contrast of the text in ``box`` (window pixels, origin bottom left); None when the
    box holds a single colour (nothing drawn there)."""
    height = picture.height
    x0, y0, x1, y1 = box
    crop = picture.crop(
        (x0 + INSET_PX, height - y1 + INSET_PX, x1 - INSET_PX, height - y0 - INSET_PX)
    )
    if crop.width <= 0 or crop.height <= 0:
        return None
    colours = crop.convert("RGB").getcolors(maxcolors=crop.width * crop.height + 1) or []
    if len(colours) < 2:
        return None
    colours.sort(reverse=True)
    background = colours[0][1]
    ranked = sorted(((ratio(c, background), count, c) for count, c in colours[1:]), reverse=True)
    others = sum(count for _r, count, _c in ranked)
    rank = max(MIN_RANK, int(RANK_SHARE * others))
    seen = 0
    for contrast, count, text in ranked:
        seen += count
        if seen > rank:
            return TextContrast(name, background, text, round(contrast, 2))
    return None


def measure_shot(png: Path) -> list[TextContrast]:
    """Every text of one screenshot with its sidecar boxes."""
    sidecar = png.with_suffix(".json")
    if not sidecar.exists():
        return []
    boxes = json.loads(sidecar.read_text())
    with Image.open(png) as picture:
        picture.load()
        found = (measure_box(picture, t["box"], t["name"]) for t in boxes["texts"])
        return [m for m in found if m is not None]


def screen_of(png: Path) -> tuple[str, str]:
    """(language, screen) from a runner's file name ``<script>_<lang>_<nnn>_<screen>.png``."""
    head, screen = png.stem, ""
    parts = png.stem.split("_")
    for i, part in enumerate(parts):
        if part.isdigit() and len(part) == 3:
            head, screen = "_".join(parts[:i]), "_".join(parts[i + 1 :])
            break
    from kiosk.i18n.languages import LANGUAGES

    for lang in sorted((lang.code for lang in LANGUAGES), key=len, reverse=True):
        if head.endswith("_" + lang):
            return lang, screen
    return "", screen


def report(shots: list[Path]) -> dict[str, dict[str, float]]:
    """The lowest ratio per screen and language: ``{screen: {language: ratio}}``."""
    return report_of({png: measure_shot(png) for png in shots})


def report_of(measured_shots: dict[Path, list[TextContrast]]) -> dict[str, dict[str, float]]:
    """``report`` from shots already measured (``measure_shot`` per screenshot)."""
    out: dict[str, dict[str, float]] = {}
    for png, measured in measured_shots.items():
        if not measured:
            continue
        lang, screen = screen_of(png)
        low = min(m.ratio for m in measured)
        per_screen = out.setdefault(screen, {})
        per_screen[lang] = min(low, per_screen.get(lang, low))
    return out
