"""The 80 mm receipt: the resident's 控え, then the counter ticket and the code(s) for the clerk.

The 控え carries no personal data beyond the filer's name: 受付番号, procedure, counter and what
to bring, in Japanese with the visit language beside it. The ticket lists, per member, the card
procedures and the PIN each needs; the QR code(s) below carry the signed filing.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.forms.charset import outside_jis_x0208
from kiosk.forms.fonts import FontRole
from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import CardTask, Filing
from kiosk.forms.render.form import FormContent, QrPart, Sizes, missing_box
from kiosk.forms.render.labels import Label, Labels
from kiosk.forms.render.layout import (
    Block,
    Boxed,
    Column,
    Gap,
    MissingLog,
    Picture,
    Rule,
    Style,
    fitted_line,
    text_block,
)
from kiosk.forms.render.notes import bring_list, paper_findings, pins_for


def _ja_of(task: CardTask) -> str:
    return task.label_ja


def _procedure_ja(filing: Filing) -> str:
    """住民異動届（転居）, or the card procedure's own name (it is no 住民異動届)."""
    kind = filing.kind.label_ja
    return kind if filing.kind.is_card_procedure else f"{Labels('ja').ja(Label.TITLE)}（{kind}）"


def _below(ja: str, other: str) -> str:
    """Japanese first, the visit language on the next line (indented); Japanese alone if none
    (or when the visit language says the same, as やさしい日本語 may)."""
    return f"{ja}\n　{other}" if other and other.strip() != ja.strip() else ja


def build_copy(filing: Filing, qr_parts: Sequence[QrPart], sizes: Sizes) -> FormContent:
    """控え + counter ticket + codes, as one column of blocks."""
    lab = Labels(filing.language)
    log = MissingLog()
    label = Style(FontRole.TEXT, sizes.label)
    value = Style(FontRole.TEXT, sizes.value)
    name = Style(FontRole.NAME, sizes.name)
    small = Style(FontRole.TEXT, sizes.small)
    big = Style(FontRole.BOLD, sizes.title)
    number = receipt_number(filing.id)
    # a card procedure is a request: its 申請者, and no "none" line per member on the ticket
    card_request = filing.kind.is_card_procedure
    blocks: list[Block] = [
        fitted_line(lab.both(Label.COPY_TITLE), big, log, min_size_px=sizes.value),
        Rule(sizes.rule),
        text_block(lab.both(Label.RECEIPT_NO), label, log),
        fitted_line(
            receipt_number_display(number),
            Style(FontRole.BOLD, sizes.title * 2),
            log,
            min_size_px=sizes.title,
        ),  # fmt: skip
        Gap(sizes.gap),
        text_block(lab.both(Label.PROCEDURE), label, log),
        text_block(
            _below(_procedure_ja(filing), lab.other(filing.kind)),
            value,
            log,
            indent=sizes.label // 2,
        ),
        text_block(lab.both(Label.APPLICANT if card_request else Label.FILER), label, log),
        text_block(filing.filer.name, name, log, indent=sizes.label // 2),
        text_block(lab.both(Label.COUNTER), label, log),
        text_block(lab.both(Label.COUNTER_NAME, "\n"), value, log, indent=sizes.label // 2),
        Gap(sizes.gap),
    ]
    findings = paper_findings(filing)
    bring: list[Block] = [text_block(lab.both(Label.BRING), label, log)]
    bring += [text_block(f"・{lab.both(item, chr(10) + '　')}", value, log) for item in
              bring_list(filing, findings)]  # fmt: skip
    blocks.append(Boxed(bring, padding=sizes.gap))
    blocks += [Gap(sizes.gap * 2), Rule(sizes.rule), Gap(sizes.gap)]
    # the counter ticket: names and card work only
    ticket: list[Block] = [text_block(lab.both(Label.TICKET), label, log)]
    for i, member in enumerate(filing.members, start=1):
        tasks = sorted(member.card_tasks, key=_ja_of)
        shown = "・".join(t.label_ja for t in tasks) or lab.ja(Label.NONE)
        other = "・".join(o for t in tasks if (o := lab.other(t))) or lab.other(Label.NONE)
        ticket.append(text_block(f"{i}. {member.name}", name, log))
        if tasks or not card_request:
            ticket.append(text_block(_below(f"　{shown}", other), value, log))
        for pin in pins_for(member.card_tasks):
            ja_pin = f"　{lab.ja(Label.PIN)}: {lab.ja(pin)}"
            other_pin = f"{lab.other(Label.PIN)}: {lab.other(pin)}" if lab.bilingual else ""
            ticket.append(text_block(_below(ja_pin, other_pin), small, log))
    blocks.append(Column(ticket))
    blocks.append(Gap(sizes.gap))
    for part in qr_parts:
        caption = f"{number}  {part.index}/{part.total}"
        blocks.append(
            Column(
                [Picture(part.image), text_block(caption, label, log, center=True), Gap(sizes.gap)]
            )
        )
    blocks.append(text_block(filing.id, small, log, center=True))
    gaiji = outside_jis_x0208("".join(m.name for m in filing.members) + filing.filer.name)
    if gaiji:
        shown_gaiji = "・".join(f"{ch} (U+{ord(ch):04X})" for ch in gaiji)
        blocks.append(Gap(sizes.gap))
        blocks.append(text_block(lab.both(Label.OUTSIDE_JIS), small, log))
        blocks.append(text_block(shown_gaiji, Style(FontRole.NAME, sizes.value), log))
    if log.items:
        blocks[2:2] = [missing_box(log, lab, sizes), Gap(sizes.gap)]
    return FormContent(blocks=blocks, missing=log)
