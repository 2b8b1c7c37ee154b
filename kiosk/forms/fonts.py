"""Fonts from Debian's packages (never committed here) and glyph-coverage checks incl. IVS.

Names and addresses use IPAmj明朝 (``fonts-ipamj-mincho``: the 文字情報基盤 MJ set, with ideographic
variation sequences in its cmap format 14 table); all other text uses Noto Sans CJK JP
(``fonts-noto-cjk``, face 0 of the collection). Licences: see ``docs/fonts.md``.

Pillow draws an IVS (base + U+E0100..U+E01EF) correctly only with the raqm layout engine; with the
basic engine the selector would show as a box. :func:`prepare` therefore keeps a selector only when
raqm is present *and* the font has that sequence, and reports every dropped selector and every
character without a glyph (shown as 〓) so the form can list them for the clerk.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont
from PIL import ImageFont, features

from kiosk.forms.errors import FormsError

#: 〓 (GETA MARK): the Japanese typesetter's sign for "a character that could not be set"
MISSING_MARK = "\u3013"
VS_RANGES = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
CMAP_UVS_FORMAT = 14


class FontRole(enum.Enum):
    """What a piece of text is, which decides its font."""

    NAME = "name"  # names and addresses: IPAmj明朝
    TEXT = "text"  # labels, dates, notes: Noto Sans CJK JP Regular
    BOLD = "bold"  # headings: Noto Sans CJK JP Bold
    DEVANAGARI = "devanagari"  # fallback for Nepali labels: Noto Sans Devanagari (shaped)


@dataclass(frozen=True, slots=True)
class FontFile:
    """Where a font lives on a Debian system and which package provides it."""

    family: str
    package: str
    licence: str
    candidates: tuple[str, ...]
    index: int = 0


FONT_FILES: dict[FontRole, FontFile] = {
    FontRole.NAME: FontFile(
        family="IPAmj明朝",
        package="fonts-ipamj-mincho",
        licence="IPA Font License Agreement v1.0",
        candidates=("/usr/share/fonts/truetype/ipamj/ipamjm.ttf",),
    ),
    FontRole.TEXT: FontFile(
        family="Noto Sans CJK JP",
        package="fonts-noto-cjk",
        licence="SIL Open Font License 1.1",
        candidates=(
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
        ),
    ),
    FontRole.BOLD: FontFile(
        family="Noto Sans CJK JP Bold",
        package="fonts-noto-cjk",
        licence="SIL Open Font License 1.1",
        candidates=(
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
            "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Bold.ttc",
        ),
    ),
    FontRole.DEVANAGARI: FontFile(
        family="Noto Sans Devanagari",
        package="fonts-noto-core",
        licence="SIL Open Font License 1.1",
        candidates=("/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",),
    ),
}

#: fonts tried, in order, for a character the role's own font lacks (labels in Nepali)
FALLBACK_ROLES: dict[FontRole, tuple[FontRole, ...]] = {
    FontRole.TEXT: (FontRole.DEVANAGARI,),
    FontRole.BOLD: (FontRole.DEVANAGARI,),
}
#: roles whose script always needs shaping (conjuncts, vowel signs) when raqm is available
_SHAPED_ROLES = frozenset({FontRole.DEVANAGARI})


class FontMissingError(FormsError):
    """A required font file is not installed; ``package`` is the Debian package to install."""

    code = "font_missing"

    def __init__(self, family: str, package: str, tried: tuple[str, ...]) -> None:
        super().__init__(f"font {family} not found (apt-get install {package}); tried {tried}")
        self.family = family
        self.package = package
        self.tried = tried


class MissingKind(enum.Enum):
    """Why a character is flagged for the clerk."""

    NO_GLYPH = "no_glyph"  # shown as 〓
    NO_VARIANT = "no_variant"  # the IVS was dropped; the base glyph is shown


@dataclass(frozen=True, slots=True)
class MissingChar:
    """One character (or variation sequence) the print could not show as written."""

    sequence: str
    kind: MissingKind

    @property
    def codepoints(self) -> str:
        """``"U+9AD9 U+E0101"``."""
        return " ".join(f"U+{ord(c):04X}" for c in self.sequence)


@dataclass(frozen=True, slots=True)
class PreparedText:
    """Text ready to draw with its font, plus what had to be replaced."""

    text: str
    missing: tuple[MissingChar, ...]


def is_variation_selector(ch: str) -> bool:
    """True for U+FE00..FE0F and U+E0100..E01EF."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in VS_RANGES)


def font_path(role: FontRole) -> tuple[Path, int]:
    """The installed file (and collection index) for a role, or FontMissingError."""
    spec = FONT_FILES[role]
    for candidate in spec.candidates:
        path = Path(candidate)
        if path.is_file():
            return path, spec.index
    raise FontMissingError(spec.family, spec.package, spec.candidates)


def raqm_available() -> bool:
    """True when Pillow can shape text with raqm (needed for variation sequences)."""
    return bool(features.check("raqm"))


@dataclass(frozen=True, slots=True)
class Coverage:
    """The code points and variation sequences a font maps to glyphs."""

    codepoints: frozenset[int]
    sequences: frozenset[tuple[int, int]]

    def has(self, ch: str) -> bool:
        """True if the font has a glyph for this character."""
        return ord(ch) in self.codepoints

    def has_sequence(self, base: str, selector: str) -> bool:
        """True if the font has this ideographic variation sequence."""
        return (ord(base), ord(selector)) in self.sequences


@functools.cache
def coverage(role: FontRole) -> Coverage:
    """Read the font's cmap (formats 4/12 and 14) once per process."""
    path, index = font_path(role)
    font: TTFont
    if path.suffix.lower() == ".ttc":
        font = TTCollection(str(path), lazy=True).fonts[index]
    else:
        font = TTFont(str(path), lazy=True)
    cmap = font["cmap"]
    points = frozenset(cmap.getBestCmap() or {})
    sequences: set[tuple[int, int]] = set()
    for table in cmap.tables:
        if table.format == CMAP_UVS_FORMAT:
            for selector, entries in table.uvsDict.items():
                sequences.update((base, selector) for base, _glyph in entries)
    return Coverage(points, frozenset(sequences))


@functools.cache
def role_for(ch: str, role: FontRole) -> FontRole:
    """The role whose font draws ``ch``: the role itself, else a fallback that has the glyph."""
    if coverage(role).has(ch):
        return role
    for fallback in FALLBACK_ROLES.get(role, ()):
        try:
            if coverage(fallback).has(ch):
                return fallback
        except FontMissingError:
            continue  # an optional fallback font that is not installed
    return role


def shapes_sequences(role: FontRole) -> bool:
    """True when text of this role is shaped with raqm (only names/addresses need IVS).

    Shaping with raqm costs ~0.5 ms per call on the large Noto CJK collection, so labels and
    other text use Pillow's basic layout; a selector in such text is dropped and reported.
    """
    return role is FontRole.NAME and raqm_available()


def needs_shaping(text: str) -> bool:
    """True when the text holds a variation selector (only raqm draws those right)."""
    return any(is_variation_selector(ch) for ch in text)


@functools.cache
def load_font(role: FontRole, size_px: int, shaped: bool = False) -> ImageFont.FreeTypeFont:
    """A Pillow font for a role and pixel size; ``shaped`` asks for raqm (for IVS text).

    Text without selectors uses the basic layout: the same glyphs, several times faster.
    """
    path, index = font_path(role)
    use_raqm = (shaped and shapes_sequences(role)) or (role in _SHAPED_ROLES and raqm_available())
    engine = ImageFont.Layout.RAQM if use_raqm else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size_px, index=index, layout_engine=engine)


def prepare(text: str, role: FontRole) -> PreparedText:
    """Replace characters the font lacks by 〓 and drop selectors it cannot render; report both."""
    cov = coverage(role)
    keep_sequences = shapes_sequences(role)
    out: list[str] = []
    missing: list[MissingChar] = []
    i = 0
    while i < len(text):
        ch = text[i]
        selector = text[i + 1] if i + 1 < len(text) and is_variation_selector(text[i + 1]) else ""
        i += 2 if selector else 1
        if is_variation_selector(ch):
            missing.append(MissingChar(ch, MissingKind.NO_VARIANT))  # a selector without a base
            continue
        if ch in "\n\t" or ch == " ":
            out.append(ch)
            continue
        if not cov.has(ch) and role_for(ch, role) is role:
            out.append(MISSING_MARK)
            missing.append(MissingChar(ch + selector, MissingKind.NO_GLYPH))
            continue
        out.append(ch)
        if selector:
            if keep_sequences and cov.has_sequence(ch, selector):
                out.append(selector)
            else:
                missing.append(MissingChar(ch + selector, MissingKind.NO_VARIANT))
    return PreparedText("".join(out), tuple(missing))
