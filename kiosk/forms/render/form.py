"""What the paper says: the filing turned into a column of blocks, for any page width.

The receipt and the A4 PDF share this content and differ only in :class:`Sizes` and in how the
column is cut into pages. Names and addresses use IPAmj明朝 (FontRole.NAME); everything else uses
Noto Sans CJK JP. The visit language is printed beside Japanese labels when it is not Japanese.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from PIL import Image

from kiosk.forms.charset import outside_jis_x0208
from kiosk.forms.fonts import FontRole, MissingKind
from kiosk.forms.model import (
    KATAGAKI_SEPARATOR,
    Address,
    Answer,
    CardTask,
    Filing,
    FilingKind,
    HouseholdMode,
)
from kiosk.forms.render import dates
from kiosk.forms.render.labels import Label, Labels
from kiosk.forms.render.layout import (
    Block,
    Boxed,
    Column,
    EmptyBox,
    Gap,
    MissingLog,
    Picture,
    Rule,
    StampCells,
    Style,
    fitted_line,
    text_block,
)

_ANSWER_JA = {Answer.YES: "はい", Answer.NO: "いいえ", Answer.UNSURE: "窓口で確認"}


def _ja_of(task: CardTask) -> str:
    return task.label_ja


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


def pdf_sizes(dpi: int) -> Sizes:
    """A4 sizes in pixels at ``dpi``: labels 11 pt, values 13 pt, names 16 pt, title 22 pt."""

    def pt(points: float) -> int:
        return round(points * dpi / 72)

    return Sizes(
        title=pt(22), label=pt(11), value=pt(13), name=pt(16), small=pt(11), gap=pt(5),
        signature_height=pt(70), stamp_height=pt(60), rule=max(2, pt(1)),
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


def _beside(ja: str, value: StrEnum, labels: Labels) -> str:
    """``国民年金 / National Pension`` for a model value (Japanese alone for Japanese visits)."""
    other = labels.other(value)
    return f"{ja} / {other}" if other else ja


def _address_text(address: Address) -> str:
    """The printed address with the 方書 (building, room) on a line of its own."""
    shown = address.display()
    tail = KATAGAKI_SEPARATOR + address.katagaki
    if address.katagaki and shown.endswith(tail):
        return f"{shown[: -len(tail)]}\n{address.katagaki}"
    return shown


def _kind_text(filing: Filing, labels: Labels) -> str:
    other = labels.other(filing.kind)
    return f"{filing.kind.label_ja} / {other}" if other else filing.kind.label_ja


def build_form(filing: Filing, qr_parts: Sequence[QrPart], sizes: Sizes) -> FormContent:
    """Lay out every field of the filing, the QR code(s), the signature box and the clerk box."""
    lab = Labels(filing.language)
    log = MissingLog()
    label = Style(FontRole.TEXT, sizes.label)
    value = Style(FontRole.TEXT, sizes.value)
    name = Style(FontRole.NAME, sizes.name)
    address = Style(FontRole.NAME, sizes.value)
    small = Style(FontRole.TEXT, sizes.small)
    blocks: list[Block] = []

    def field(key: str, text: str, style: Style = value) -> None:
        caption = text_block(lab.both(key), label, log)
        shown = text_block(text or "—", style, log, indent=sizes.label // 2)
        # room for marks below Latin letters (Vietnamese ọ, ộ) above the value line
        under_caption: list[Block] = [Gap(sizes.gap // 2)] if lab.bilingual else []
        blocks.append(Column([caption, *under_caption, shown, Gap(sizes.gap)]))

    title = Style(FontRole.BOLD, sizes.title)
    blocks.append(
        fitted_line(
            f"{lab.ja(Label.TITLE)}（{filing.kind.label_ja}）", title, log, min_size_px=sizes.value
        )
    )
    if lab.bilingual:
        blocks.append(text_block(lab.other(Label.TITLE), value, log, center=True))
    blocks.append(Rule(sizes.rule))
    field(Label.FILING_ID, filing.id, small)
    field(Label.KIND, _kind_text(filing, lab))
    field(Label.NOTIFIED_ON, dates.both(filing.notified_on))
    moved_key = Label.MOVE_OUT_ON if filing.kind is FilingKind.MOVE_OUT else Label.MOVED_ON
    field(moved_key, dates.both(filing.moved_on))
    if not filing.kind.is_household_change:
        new_key = Label.DESTINATION if filing.kind is FilingKind.MOVE_OUT else Label.NEW_ADDRESS
        field(new_key, _address_text(filing.new_address), address)
    else:
        field(Label.ADDRESS, _address_text(filing.new_address), address)  # 世帯変更: nobody moves
    if filing.old_address is not None:
        field(Label.OLD_ADDRESS, _address_text(filing.old_address), address)
    mode_key = Label.JOIN if filing.household.mode is HouseholdMode.JOIN else Label.WHOLE
    mode = lab.ja(mode_key) + (f" / {lab.other(mode_key)}" if lab.bilingual else "")
    field(Label.HEAD, f"{filing.head_name}", name)
    field(Label.HOUSEHOLD, mode)
    if filing.household.previous_head is not None:
        field(Label.OLD_HEAD, filing.household.previous_head.name, name)
    blocks.append(Rule(sizes.rule))
    blocks.append(text_block(f"{lab.both(Label.MEMBERS)}（{len(filing.members)}）", label, log))
    blocks.append(Gap(sizes.gap // 2))
    for i, member in enumerate(filing.members, start=1):
        inner: list[Block] = [
            text_block(f"{i}. {lab.both(Label.NAME)}", label, log),
            text_block(member.name, name, log, indent=sizes.label // 2),
            text_block(f"{lab.both(Label.FURIGANA)}: {member.furigana}", value, log),
            text_block(
                f"{lab.both(Label.BIRTH_DATE)}: {dates.both(member.birth_date)}", value, log
            ),
            text_block(
                f"{lab.both(Label.SEX)}: {member.sex.label_ja}"
                + (f" / {lab.other(member.sex)}" if lab.bilingual else ""),
                value,
                log,
            ),
            text_block(
                f"{lab.both(Label.RELATIONSHIP)}: {member.relationship.display}", value, log
            ),
        ]
        if member.card_tasks:
            tasks = "・".join(
                _beside(t.label_ja, t, lab) for t in sorted(member.card_tasks, key=_ja_of)
            )
            inner.append(text_block(f"{lab.both(Label.CARD_TASKS)}: {tasks}", value, log))
        blocks.append(Boxed(inner, padding=sizes.gap))
        blocks.append(Gap(sizes.gap))
    filer = filing.filer
    standing = filer.standing.label_ja + (
        f" / {lab.other(filer.standing)}" if lab.bilingual else ""
    )
    field(Label.FILER, filer.name, name)
    field(Label.STANDING, standing)
    if filer.address is not None:
        field(Label.FILER_ADDRESS, _address_text(filer.address), address)
    if filing.phone:
        field(Label.PHONE, filing.phone)
    if filing.related:
        lines = [
            f"{_beside(r.procedure.label_ja, r.procedure, lab)}: "
            + _beside(_ANSWER_JA[r.answer], r.answer, lab)
            for r in filing.related
        ]
        field(Label.RELATED, "\n".join(lines))
    blocks.append(Rule(sizes.rule))
    for part in qr_parts:
        caption = f"{lab.ja(Label.CODES)} {part.index}/{part.total}"
        blocks.append(
            Column(
                [Picture(part.image), text_block(caption, label, log, center=True), Gap(sizes.gap)]
            )
        )
    blocks.append(
        EmptyBox(
            text_block(
                f"{lab.both(Label.SIGNATURE)}（{lab.ja(Label.SIGNATURE_NOTE)}）", label, log
            ),
            sizes.signature_height,
        )
    )
    blocks.append(Gap(sizes.gap * 2))
    cells = [
        text_block(lab.ja(k), small, log) for k in (Label.RECEPTION, Label.ENTRY, Label.REVIEW)
    ]
    blocks.append(
        StampCells(text_block(lab.both(Label.CLERK), label, log), cells, sizes.stamp_height)
    )
    gaiji = outside_jis_x0208("".join(m.name for m in filing.members) + filing.filer.name)
    if gaiji:
        # 𠮷 and 吉 look alike on thermal paper: name the code points the clerk must match
        shown = "・".join(f"{ch} (U+{ord(ch):04X})" for ch in gaiji)
        blocks.append(Gap(sizes.gap))
        blocks.append(text_block(lab.both(Label.OUTSIDE_JIS), small, log))
        blocks.append(text_block(shown, Style(FontRole.NAME, sizes.value), log))
    if log.items:
        # the footnote goes right after the title so the clerk sees it first
        insert_at = 3 if lab.bilingual else 2
        blocks[insert_at:insert_at] = [missing_box(log, lab, sizes), Gap(sizes.gap)]
    return FormContent(blocks=blocks, missing=log)


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
