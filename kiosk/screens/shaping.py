"""Complex-script text: labels holding Devanagari are drawn by Pillow, which shapes with raqm.

Kivy's SDL2 text provider has no shaping: नेपाली conjuncts (क्ष) and pre-base vowel signs (ि)
come out in code-point order. Only labels whose text holds Devanagari switch to this core label,
so other languages keep the faster SDL2 path and Pillow's fonts are opened only for Nepali.
"""

from __future__ import annotations

import re
from typing import Any

from kivy.core.text.markup import MarkupLabel
from kivy.core.text.text_pil import LabelPIL
from kivy.uix.label import Label

#: the Devanagari block (Nepali); other scripts the UI shows need no shaping
NEEDS_SHAPING = re.compile("[\u0900-\u097f]")


def needs_shaping(text: str) -> bool:
    """True when ``text`` holds characters SDL_ttf would draw unshaped."""
    return NEEDS_SHAPING.search(text) is not None


class ShapedMarkupLabel(MarkupLabel):
    """Kivy's markup layout with Pillow drawing (shaped by raqm when Pillow has it)."""

    #: Pillow fonts by "path.size", shared by every shaped label
    _cache: dict[str, Any] = {}
    _select_font = LabelPIL._select_font
    get_extents = LabelPIL.get_extents
    get_cached_extents = LabelPIL.get_cached_extents
    _render_begin = LabelPIL._render_begin
    _render_text = LabelPIL._render_text
    _render_end = LabelPIL._render_end


class ShapingLabel(Label):
    """A Label that uses :class:`ShapedMarkupLabel` while its (markup) text needs shaping."""

    _label: Any  # Kivy's core label of this widget

    def _create_label(self) -> None:
        if not (self.markup and needs_shaping(self.text)):
            super()._create_label()
            return
        current: Any = self._label
        if type(current) is ShapedMarkupLabel:
            return
        options = {name: getattr(self, name) for name in self._font_properties}
        options["usersize"] = self.text_size
        if self.disabled:
            options["color"] = self.disabled_color
            options["outline_color"] = self.disabled_outline_color
        self._label = ShapedMarkupLabel(**options)

    def _trigger_texture_update(
        self, name: str | None = None, source: Any = None, value: Any = None
    ) -> None:
        current: Any = self._label
        if name == "text" and current is not None and isinstance(value, str):
            shaped = type(current) is ShapedMarkupLabel
            if shaped != (self.markup and needs_shaping(value)):
                self._create_label()
        super()._trigger_texture_update(name, source, value)
