"""The ward's card-face settings: printer resolution, the 追記欄 box per card, fonts, seal, queue.

Read from a JSON file (``<intake data dir>/card-face.json``, or the path in the environment
variable ``KIOSK_CARD_FACE_SETTINGS``); every key is optional, unknown keys and wrong types are
refused. Documented in docs/card-procedures.md ("Ward settings").
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from .errors import CardFaceSettingsError

ENV_SETTINGS = "KIOSK_CARD_FACE_SETTINGS"
SETTINGS_FILE = "card-face.json"
MM_PER_INCH = 25.4
PT_PER_INCH = 72
#: ISO/IEC 7810 ID-1 (CR80), the size of the My Number card, 在留カード and 特別永住者証明書
CR80_MM = (85.60, 53.98)
IPAEX_MINCHO = Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
IPAMJ_MINCHO = Path("/usr/share/fonts/truetype/ipamj/ipamjm.ttf")
MIN_DPI, MAX_DPI = 150, 1200
MIN_FONT_PT, MAX_FONT_PT = 4.0, 14.0
MAX_FIRST_LINE = 40
QUEUE_SCHEMES = ("ipp://", "ipps://", "http://", "https://")


class CardType(StrEnum):
    """The cards whose 追記欄 the ward writes (住民記録システム標準仕様書, カード券面プリンタ)."""

    MY_NUMBER = "my_number_card"  # 個人番号カード
    RESIDENCE = "residence_card"  # 在留カード
    SPECIAL_PERMANENT = "special_permanent_certificate"  # 特別永住者証明書

    @property
    def label_ja(self) -> str:
        """The card's Japanese name."""
        return _CARD_JA[self]


_CARD_JA = {
    CardType.MY_NUMBER: "マイナンバーカード",
    CardType.RESIDENCE: "在留カード",
    CardType.SPECIAL_PERMANENT: "特別永住者証明書",
}


@dataclass(frozen=True, slots=True)
class Box:
    """The 追記欄 in millimetres from the card's top-left corner (the only place ink may go)."""

    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float


#: [unverified] placeholders: measure the blank cards of the ward's stock and set them per ward
DEFAULT_BOXES: Mapping[CardType, Box] = {
    CardType.MY_NUMBER: Box(3.0, 35.0, 56.0, 16.5),
    CardType.RESIDENCE: Box(3.0, 8.0, 79.6, 38.0),
    CardType.SPECIAL_PERMANENT: Box(3.0, 8.0, 79.6, 38.0),
}


@dataclass(frozen=True, slots=True)
class CardFaceSettings:
    """Everything the renderer and the console's print action need (defaults: a demo setup)."""

    dpi: int = 300
    card_width_mm: float = CR80_MM[0]
    card_height_mm: float = CR80_MM[1]
    boxes: Mapping[CardType, Box] = field(default_factory=lambda: dict(DEFAULT_BOXES))
    #: distance between the 追記欄's printed lines (the grid ``first_line`` counts on)
    line_pitch_mm: float = 2.8
    font_pt: float = 6.5
    first_line: int = 1
    #: the ward's 職印 as a PNG (None: the neutral sample seal drawn by :mod:`.seal`)
    seal_png: Path | None = None
    seal_mm: float = 7.0
    #: whether the ward writes 在留カード / 特別永住者証明書 too (the standard lists them)
    print_residence_cards: bool = False
    #: the CUPS queue of the card-face printer, e.g. ipp://localhost:631/printers/cardface
    cups_queue: str = ""
    font: Path = IPAEX_MINCHO
    gaiji_font: Path = IPAMJ_MINCHO

    @property
    def card_px(self) -> tuple[int, int]:
        """The image size: the card at the printer's resolution (300 dpi: 1011 × 638)."""
        return self.px(self.card_width_mm), self.px(self.card_height_mm)

    def px(self, mm: float) -> int:
        """Millimetres → printer pixels (rounded)."""
        return round(mm * self.dpi / MM_PER_INCH)

    def box_px(self, card: CardType) -> tuple[int, int, int, int]:
        """The card's 追記欄 as pixel (left, top, right, bottom), right/bottom exclusive."""
        box = self.boxes[card]
        left, top = self.px(box.x_mm), self.px(box.y_mm)
        return left, top, left + self.px(box.width_mm), top + self.px(box.height_mm)

    def font_px(self, font_pt: float) -> int:
        """A font size in points → pixels at the printer's resolution."""
        return max(1, round(font_pt * self.dpi / PT_PER_INCH))


_NUMBERS = ("dpi", "card_width_mm", "card_height_mm", "line_pitch_mm", "font_pt", "seal_mm")


def _number(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise CardFaceSettingsError(key, "must be a positive number")
    return float(value)


def _box(key: str, value: object) -> Box:
    names = ("x_mm", "y_mm", "width_mm", "height_mm")
    if not isinstance(value, Mapping) or set(value) != set(names):
        raise CardFaceSettingsError(key, "needs exactly x_mm, y_mm, width_mm, height_mm")
    numbers: list[float] = []
    for name in names:
        number = value[name]
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            raise CardFaceSettingsError(f"{key}.{name}", "must be a number ≥ 0")
        numbers.append(float(number))
    if numbers[2] <= 0 or numbers[3] <= 0:
        raise CardFaceSettingsError(key, "width_mm and height_mm must be positive")
    return Box(*numbers)


def _value(key: str, value: object, defaults: CardFaceSettings) -> Any:
    """One setting's value, checked for its type."""
    if key in _NUMBERS:
        number = _number(key, value)
        return int(number) if key == "dpi" else number
    if key == "first_line":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise CardFaceSettingsError(key, "must be an integer ≥ 1")
        return value
    if key == "boxes":
        if not isinstance(value, Mapping):
            raise CardFaceSettingsError(key, "must be an object keyed by card type")
        boxes = dict(defaults.boxes)
        for name, box in value.items():
            if name not in CardType.__members__.values():
                raise CardFaceSettingsError(f"boxes.{name}", "unknown card type")
            boxes[CardType(name)] = _box(f"boxes.{name}", box)
        return boxes
    if key == "print_residence_cards":
        if not isinstance(value, bool):
            raise CardFaceSettingsError(key, "must be true or false")
        return value
    if key == "cups_queue":
        if not isinstance(value, str) or (value and not value.startswith(QUEUE_SCHEMES)):
            raise CardFaceSettingsError(key, "must be an ipp://, ipps://, http:// or https:// URI")
        return value
    if key == "seal_png" and value is None:
        return None
    if not isinstance(value, str) or not value:  # seal_png, font, gaiji_font
        raise CardFaceSettingsError(key, "must be a file path")
    return Path(value)


def settings_from_mapping(raw: Mapping[str, object]) -> CardFaceSettings:
    """Defaults overridden by the keys of ``raw`` (strict: unknown keys and bad types refused)."""
    defaults = CardFaceSettings()
    known = set(CardFaceSettings.__dataclass_fields__)
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise CardFaceSettingsError(key, "unknown setting")
        changes[key] = _value(key, value, defaults)
    return checked(replace(defaults, **changes))


def checked(settings: CardFaceSettings) -> CardFaceSettings:
    """Refuse settings the renderer cannot honour (box off the card, seal taller than the box)."""
    if not MIN_DPI <= settings.dpi <= MAX_DPI:
        raise CardFaceSettingsError("dpi", f"must be {MIN_DPI}..{MAX_DPI}")
    if not MIN_FONT_PT <= settings.font_pt <= MAX_FONT_PT:
        raise CardFaceSettingsError("font_pt", f"must be {MIN_FONT_PT}..{MAX_FONT_PT}")
    for card, box in settings.boxes.items():
        if (
            box.x_mm + box.width_mm > settings.card_width_mm
            or box.y_mm + box.height_mm > settings.card_height_mm
        ):
            raise CardFaceSettingsError(f"boxes.{card.value}", "reaches outside the card")
        if settings.seal_mm > box.height_mm or settings.seal_mm >= box.width_mm / 2:
            raise CardFaceSettingsError("seal_mm", f"does not fit the {card.value} box")
    return settings


def settings_path(data_dir: Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """``$KIOSK_CARD_FACE_SETTINGS``, else ``<data_dir>/card-face.json``."""
    env = os.environ if environ is None else environ
    if env.get(ENV_SETTINGS):
        return Path(env[ENV_SETTINGS])
    return None if data_dir is None else data_dir / SETTINGS_FILE


def load_settings(
    data_dir: Path | None = None, environ: Mapping[str, str] | None = None
) -> CardFaceSettings:
    """The ward's settings (defaults when no file exists at the default place)."""
    path = settings_path(data_dir, environ)
    env = os.environ if environ is None else environ
    if path is None or (not path.exists() and not env.get(ENV_SETTINGS)):
        return CardFaceSettings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CardFaceSettingsError(str(path), f"cannot read: {err}") from err
    if not isinstance(raw, dict):
        raise CardFaceSettingsError(str(path), "must hold a JSON object")
    return settings_from_mapping(raw)
