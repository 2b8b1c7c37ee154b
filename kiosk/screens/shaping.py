"""Complex-script text: labels holding Devanagari are drawn by Pillow, which shapes with raqm.

Kivy's SDL2 text provider has no shaping: नेपाली conjuncts (क्ष) and pre-base vowel signs (ि)
come out in code-point order. Only labels whose text holds Devanagari switch to this core label,
so other languages keep the faster SDL2 path and Pillow's fonts are opened only for Nepali.
Likewise, labels whose text holds ruby groups marked by a ruby catalog (やさしい日本語, see
``kiosk.i18n.ruby``) switch to :class:`~kiosk.screens.ruby_label.RubyCoreLabel`.
"""

from __future__ import annotations

import re
from typing import Any

from kivy.core.text.markup import MarkupLabel
from kivy.core.text.text_pil import LabelPIL
from kivy.uix.label import Label

from kiosk.i18n.ruby import has_ruby

#: the Devanagari block (Nepali); other scripts the UI shows need no shaping
NEEDS_SHAPING = re.compile("[\u0900-\u097f]")


def needs_shaping(text: str) -> bool:
    """True when ``text`` holds characters SDL_ttf would draw unshaped."""
    return NEEDS_SHAPING.search(text) is not None


#: sizes of words already measured, by (font, size, bbox mode, text): the markup layout measures
#: every word of a label at each layout, and shaping with raqm makes each measure costly
_EXTENTS: dict[tuple[str, int, bool, str], tuple[int, int]] = {}
EXTENTS_KEPT = 20_000  # then the cache starts afresh (a few MB at most)


def _cached_extents(label: Any, text: str) -> tuple[int, int]:
    """``LabelPIL.get_extents``, remembered: the same word in the same font measures the same."""
    options = label.options
    key = (
        str(options["font_name_r"]),
        int(options["font_size"]),
        bool(options["limit_render_to_text_bbox"]),
        text,
    )
    found = _EXTENTS.get(key)
    if found is None:
        if len(_EXTENTS) >= EXTENTS_KEPT:
            _EXTENTS.clear()
        width, height = LabelPIL.get_extents(label, text)
        found = _EXTENTS[key] = (int(width), int(height))
    return found


class ShapedMarkupLabel(MarkupLabel):
    """Kivy's markup layout with Pillow drawing (shaped by raqm when Pillow has it)."""

    #: Pillow fonts by "path.size", shared by every shaped label
    _cache: dict[str, Any] = {}
    _select_font = LabelPIL._select_font
    get_extents = _cached_extents

    def get_cached_extents(self) -> Any:
        """The remembered measure (Kivy's markup layout asks for it once per layout)."""
        return self.get_extents

    _render_begin = LabelPIL._render_begin
    _render_text = LabelPIL._render_text
    _render_end = LabelPIL._render_end


#: sizes of words already measured by SDL2_ttf, by the face's id, its settings and the text: the
#: markup layout measures every word (a CJK label: every character) of a label at each layout,
#: and the welcome screen is laid out again at every refresh (issue 14: start-up, first touch)
_SDL2_EXTENTS: dict[tuple[object, ...], tuple[int, int]] = {}
#: the options besides the face's id (size, file, style) that change what SDL2_ttf measures
_SDL2_SETTINGS = ("font_hinting", "font_kerning", "font_direction", "font_script_name",
                  "outline_width")  # fmt: skip


class MeasuredMarkupLabel(MarkupLabel):
    """Kivy's markup label (SDL2_ttf), its word measures remembered like the shaped ones."""

    def get_extents(self, text: str) -> tuple[int, int]:
        """``LabelSDL2.get_extents``, remembered: the same word in the same face measures the
        same (the face's id and settings are read when asked: markup tags change them)."""
        options = self.options
        key = (self._get_font_id(), *(options.get(name) for name in _SDL2_SETTINGS), text)
        found = _SDL2_EXTENTS.get(key)
        if found is None:
            if len(_SDL2_EXTENTS) >= EXTENTS_KEPT:
                _SDL2_EXTENTS.clear()
            width, height = super().get_extents(text)
            found = _SDL2_EXTENTS[key] = (int(width), int(height))
        return found


#: the core labels :class:`ShapingLabel` switches to (the ruby one once it is first needed)
_SPECIAL: set[type] = {ShapedMarkupLabel, MeasuredMarkupLabel}


def _ruby_core_label() -> type:
    """The ruby core label, imported by the first text with ruby (not for the welcome screen)."""
    from kiosk.screens.ruby_label import RubyCoreLabel

    _SPECIAL.add(RubyCoreLabel)
    return RubyCoreLabel


class ShapingLabel(Label):
    """A Label that uses a Pillow-drawn core label while its (markup) text needs one.

    :class:`ShapedMarkupLabel` for Devanagari, ``RubyCoreLabel`` for marked ruby (unless
    ``ruby`` is False: personal-data labels never draw ruby), otherwise Kivy's own markup label
    with remembered measures (:class:`MeasuredMarkupLabel`), or Kivy's plain one without markup.
    """

    _label: Any  # Kivy's core label of this widget
    #: whether marked ruby groups in the text are drawn as ruby
    ruby = True

    def _core_class(self, text: str) -> type | None:
        """The core label class ``text`` needs, or None for Kivy's plain (no markup) one."""
        if not self.markup:
            return None
        if self.ruby and has_ruby(text):
            return _ruby_core_label()
        if needs_shaping(text):
            return ShapedMarkupLabel
        return MeasuredMarkupLabel

    def _create_label(self) -> None:
        wanted = self._core_class(self.text)
        if wanted is None:
            super()._create_label()
            return
        current: Any = self._label
        if type(current) is wanted:
            return
        options = {name: getattr(self, name) for name in self._font_properties}
        options["usersize"] = self.text_size
        if self.disabled:
            options["color"] = self.disabled_color
            options["outline_color"] = self.disabled_outline_color
        self._label = wanted(**options)

    def _trigger_texture_update(
        self, name: str | None = None, source: Any = None, value: Any = None
    ) -> None:
        current: Any = self._label
        if name == "text" and current is not None and isinstance(value, str):
            special = type(current) in _SPECIAL
            wanted = self._core_class(value)
            if (wanted is None and special) or (wanted is not None and type(current) is not wanted):
                self._create_label()
        super()._trigger_texture_update(name, source, value)
