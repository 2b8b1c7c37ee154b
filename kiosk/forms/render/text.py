"""Measuring and breaking lines of form text: clusters, font runs (with fallbacks) and wrapping.

Widths are sums of cached per-character advances (CJK text has no kerning to lose); a character
the role's font lacks is measured and drawn with a fallback font (Devanagari). Line breaking is
greedy, with a small 禁則 set and whole words for space-separated scripts.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from kiosk.forms.fonts import FontRole, is_variation_selector, load_font, needs_shaping, role_for

IDEOGRAPHIC_SPACE = "\u3000"
#: break at a full-width space when at most this many characters follow it on the line
MAX_CARRY_AFTER_SPACE = 10
#: characters that must not start a line (a small 禁則 set)
NO_LINE_START = frozenset(
    "、。，．・：；？！）」』】〕ー゛゜ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.:;)]!?"
)


@dataclass(frozen=True, slots=True)
class Style:
    """Font role and pixel size of one kind of text."""

    role: FontRole
    size_px: int
    line_gap_px: int = 0

    @property
    def line_height(self) -> int:
        """Baseline-to-baseline distance in pixels."""
        return int(self.size_px * 1.3) + self.line_gap_px


ZERO_WIDTH_JOINERS = frozenset("\u200c\u200d")
#: letters of scripts that separate words with spaces (kept whole when wrapping)
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))


def _attaches(ch: str) -> bool:
    """True for a character drawn together with the one before it (selector, combining mark)."""
    return (
        is_variation_selector(ch)
        or ch in ZERO_WIDTH_JOINERS
        or unicodedata.category(ch).startswith("M")
    )


def _clusters(text: str) -> list[str]:
    """Split into characters, keeping selectors and combining marks with their base."""
    out: list[str] = []
    for ch in text:
        if out and _attaches(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _word_char(ch: str) -> bool:
    """True for letters of space-separated scripts (Latin, Vietnamese, Devanagari, Hangul)."""
    if ch.isspace():
        return False
    cp = ord(ch)
    return cp < 0x2E80 or any(lo <= cp <= hi for lo, hi in _HANGUL)


def _in_word(text: str) -> bool:
    return all(_word_char(ch) for ch in text)


@functools.cache
def advance(role: FontRole, size_px: int, cluster: str) -> float:
    """Advance width of one character (with its selector), cached per process."""
    drawn_by = role_for(cluster[0], role)
    return float(load_font(drawn_by, size_px, needs_shaping(cluster)).getlength(cluster))


def font_runs(line: str, role: FontRole) -> list[tuple[FontRole, str]]:
    """Split a line into runs drawn by one font each (the role's font or a fallback)."""
    runs: list[tuple[FontRole, str]] = []
    for cluster in _clusters(line):
        drawn_by = role_for(cluster[0], role)
        if runs and runs[-1][0] is drawn_by:
            runs[-1] = (drawn_by, runs[-1][1] + cluster)
        else:
            runs.append((drawn_by, cluster))
    return runs


def text_width(text: str, style: Style) -> float:
    """Width of a line as the sum of cached advances (CJK text has no kerning to lose)."""
    return sum(advance(style.role, style.size_px, c) for c in _clusters(text))


def wrap(text: str, style: Style, width_px: int) -> tuple[str, ...]:
    """Greedy line breaking by measured width; Latin words stay whole when they fit a line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        used = 0.0
        for cluster in _clusters(paragraph):
            step = advance(style.role, style.size_px, cluster)
            if not line or used + step <= width_px:
                line += cluster
                used += step
                continue
            if cluster in NO_LINE_START:
                # push the last character down with the punctuation (追い出し): never overflow
                kept = _clusters(line)
                if len(kept) > 1:
                    lines.append("".join(kept[:-1]))
                    line = kept[-1] + cluster
                else:
                    lines.append(line)
                    line = cluster
                used = text_width(line, style)
                continue
            head, sep, tail = line.rpartition(" ")
            b_head, b_sep, b_tail = line.rpartition(IDEOGRAPHIC_SPACE)
            if sep and head and _in_word(cluster) and _in_word(tail):
                lines.append(head)
                line = tail + cluster
            elif b_sep and b_head and len(b_tail) <= MAX_CARRY_AFTER_SPACE:
                lines.append(b_head)  # e.g. the 方書 after the address starts its own line
                line = b_tail + cluster
            elif sep and head.strip() and len(tail) < MAX_CARRY_AFTER_SPACE:
                lines.append(head)  # e.g. a reading or a date moves whole to the next line
                line = tail + cluster
            else:
                lines.append(line.rstrip())
                line = cluster.lstrip()
            used = text_width(line, style)
        lines.append(line)
    return tuple(lines)
