"""Close the font faces a visit opened, once it is over (issue 14: the app's memory after a visit).

Kivy's SDL2 text provider opens one FreeType face per (font file, size, style) the first time a
label needs it and keeps up to 64 of them open for the life of the process. A Noto Sans CJK face
costs ~2.5 MB of private memory (its CFF tables are copied into the heap), so the sizes a visit
uses on its screens (small print, keypad digits, large text) stay behind as ~2.5 MB each.

The provider offers no way to close a face. What it does have is its eviction rule: after opening
a new face it closes the oldest ones while more than ``KIVY_FONT_LIMIT`` are open, in the order of
a plain Python list it keeps beside its (hidden) cache. :class:`FontFaces` uses exactly that rule:
it puts the faces to close at the front of that list, fills it up to the limit with placeholders,
opens one tiny face (Kivy's own Roboto at a size no screen uses) so that the provider closes the
front ones itself, and takes the placeholders out again. Where the list cannot be recognised
(another Kivy version or text provider) nothing is touched and the faces simply stay open.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

#: the provider's limit on open faces (``kivy/core/text/_text_sdl2.pyx``, Kivy 2.x)
KIVY_FONT_LIMIT = 64
#: the provider's cache key: size|file|bold|italic|underline|strikethrough
FONT_ID_FIELDS = 6
_FLAGS = frozenset({"True", "False"})
#: two sizes no screen uses: the face that triggers the eviction (one of them is always free)
TRIGGER_SIZES = (3, 4)
PLACEHOLDER = "kiosk-placeholder-{index}"


def _is_font_id(item: object) -> bool:
    if not isinstance(item, str):
        return False
    fields = item.split("|")
    return (
        len(fields) == FONT_ID_FIELDS
        and all(flag in _FLAGS for flag in fields[2:])
        and Path(fields[1]).is_file()
    )


def find_open_order() -> list[str] | None:
    """The SDL2 text provider's list of open faces (oldest first), or None where not found."""
    from kivy.core.text import Label as CoreLabel

    if CoreLabel.__name__ != "LabelSDL2":
        return None
    candidates = [
        obj
        for obj in gc.get_objects()
        if type(obj) is list and obj and all(_is_font_id(item) for item in obj)
    ]
    if len(candidates) != 1:
        return None
    return candidates[0]


class FontFaces:
    """The welcome screen's faces stay open; the faces a visit added are closed at its end."""

    def __init__(self) -> None:
        self._order: list[str] | None = None
        self._keep: frozenset[str] = frozenset()

    def open_faces(self) -> list[str]:
        """Cache keys of the faces open now (oldest first; empty where unknown)."""
        order = self._find()
        return list(order) if order is not None else []

    def remember_resident(self) -> None:
        """The faces open now (the welcome screen's) stay open after every visit."""
        self._keep = frozenset(self.open_faces())

    def close_visit_faces(self) -> int:
        """Close every face except the remembered ones; how many were closed."""
        order = self._find()
        if order is None:
            return 0
        drop = [key for key in order if key not in self._keep]
        if not drop:
            return 0
        kept = [key for key in order if key in self._keep]
        trigger = self._trigger_size(order)
        shape_ok = len(order) <= KIVY_FONT_LIMIT and len(set(order)) == len(order)
        if not shape_ok or len(kept) >= KIVY_FONT_LIMIT - 1 or trigger is None:
            log.warning("font cache not in the expected shape: faces stay open")
            return 0
        # after the trigger face is added the provider pops from the front while the list is
        # longer than the limit: exactly ``drop``; the placeholders behind ``kept`` stay
        placeholders = [PLACEHOLDER.format(index=i) for i in range(KIVY_FONT_LIMIT - 1 - len(kept))]
        order[:] = drop + kept + placeholders
        try:
            _open_face(trigger)
        finally:
            stand_ins = set(placeholders)
            order[:] = [key for key in order if key not in stand_ins]
        still_open = set(order)
        closed = sum(key not in still_open for key in drop)
        log.info("closed %d font faces of the visit", closed)
        return closed

    def _find(self) -> list[str] | None:
        if self._order is None:
            self._order = find_open_order()
        return self._order

    @staticmethod
    def _trigger_size(order: Iterable[str]) -> int | None:
        from kivy.core.text import DEFAULT_FONT, LabelBase

        default = LabelBase._fonts.get(DEFAULT_FONT)
        regular = default[0] if default else ""
        used = {key.split("|")[0] for key in order if key.split("|")[1] == regular}
        return next((size for size in TRIGGER_SIZES if str(size) not in used), None)


def _open_face(size: int) -> None:
    """Measure one character in Kivy's default font at ``size`` (opens that face)."""
    from kivy.core.text import DEFAULT_FONT
    from kivy.core.text import Label as CoreLabel

    CoreLabel(text=".", font_name=DEFAULT_FONT, font_size=size).get_extents(".")
