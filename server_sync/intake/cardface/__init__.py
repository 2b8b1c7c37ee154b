"""Card-face update prints (券面記載事項変更) for accepted move filings.

:mod:`.targets` picks the cards, :mod:`.render` draws the 追記欄 image, :mod:`.ipp` sends it to a
CUPS queue over IPP, :mod:`.cli` is ``python -m server_sync.intake card-face``; the clerk
console's print action is ``server_sync.intake.console.card_face_routes``. Settings:
:mod:`.settings` (docs/card-procedures.md).
"""

from __future__ import annotations

from .errors import (
    BoxFullError,
    CardFaceError,
    CardFaceSettingsError,
    GlyphMissingError,
    NoCardFaceWorkError,
    PrinterError,
)
from .render import PrintOptions, checked_options, render, render_png
from .settings import CardFaceSettings, CardType, load_settings
from .targets import CardFaceJob, card_face_jobs, job_for

__all__ = [
    "BoxFullError",
    "CardFaceError",
    "CardFaceJob",
    "CardFaceSettings",
    "CardFaceSettingsError",
    "CardType",
    "GlyphMissingError",
    "NoCardFaceWorkError",
    "PrintOptions",
    "PrinterError",
    "card_face_jobs",
    "checked_options",
    "job_for",
    "load_settings",
    "render",
    "render_png",
]
