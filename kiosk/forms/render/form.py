"""Shared pieces of the paper: sizes, QR parts, the printed address and the 〓 footnote box.

The receipt (``render.copy``: the 控え and the counter ticket) and the A4 form (``render.sheet``)
are built from these. Names and addresses use IPAmj明朝 (FontRole.NAME); everything else uses
Noto Sans CJK JP. The visit language is printed beside Japanese labels when it is not Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from kiosk.forms.fonts import FontRole, MissingKind
from kiosk.forms.model import KATAGAKI_SEPARATOR, Address
from kiosk.forms.render.labels import Label, Labels
from kiosk.forms.render.layout import Block, Boxed, MissingLog, Style, text_block


@dataclass(frozen=True, slots=True)
class Sizes:
    """Pixel sizes of one output (receipt dots or PDF pixels)."""

    title: int
    label: int
    value: int
    name: int
    small: int
    gap: int
    signature_height: int
    stamp_height: int
    rule: int


#: 576/512-dot receipt: body text ≥ 24 px for elderly readers
RECEIPT_SIZES = Sizes(
    title=44, label=24, value=28, name=34, small=24, gap=10,
    signature_height=150, stamp_height=130, rule=3,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class QrPart:
    """One rendered code and its caption position (1-based)."""

    image: Image.Image
    index: int
    total: int


@dataclass(slots=True)
class FormContent:
    """The blocks of a form, the characters flagged for the clerk, and the QR block positions."""

    blocks: list[Block]
    missing: MissingLog


def address_text(address: Address) -> str:
    """The printed address with the 方書 (building, room) on a line of its own."""
    shown = address.display()
    tail = KATAGAKI_SEPARATOR + address.katagaki
    if address.katagaki and shown.endswith(tail):
        return f"{shown[: -len(tail)]}\n{address.katagaki}"
    return shown


def missing_box(log: MissingLog, lab: Labels, sizes: Sizes) -> Block:
    """The boxed footnote naming every character printed as 〓 or in its base form."""
    label = Style(FontRole.TEXT, sizes.label)
    small = Style(FontRole.TEXT, sizes.small)
    notes: list[Block] = [text_block(lab.both(Label.MISSING_CHARS), label, log)]
    for item in list(log.items):
        why = Label.MISSING_GLYPH if item.kind is MissingKind.NO_GLYPH else Label.MISSING_VARIANT
        shown = "〓" if item.kind is MissingKind.NO_GLYPH else item.sequence[0]
        notes.append(text_block(f"{shown} = {item.codepoints}（{lab.ja(why)}）", small, log))
    return Boxed(notes, padding=sizes.gap, border=4)
