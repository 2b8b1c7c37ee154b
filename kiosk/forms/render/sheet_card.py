"""The A4 request of a card procedure (印鑑登録証としての利用, 本籍地利用登録): one short page.

Title, 申請日 and kind beside the 受付番号 and the code(s); the card holder (read from the card);
the seal statement with the two boxes the clerk fills (印鑑登録番号, 宛名番号) or the 本籍・筆頭者;
the 利用者証明用 certificate the card signed with (serial, validity, issuer); the signature box,
確認事項 and the clerk's stamps. Japanese labels, the visit language beside them.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.forms.fonts import FontRole
from kiosk.forms.model import Filing, FilingKind
from kiosk.forms.render import dates
from kiosk.forms.render.form import FormContent, QrPart, Sizes, address_text, missing_box
from kiosk.forms.render.labels import Label
from kiosk.forms.render.layout import Block, Column, EmptyBox, Gap, Row, Style, fitted_line
from kiosk.forms.render.layout import text_block as _text
from kiosk.forms.render.sheet import HEAD_AND_CODES, _checks, _clerk, _codes, _Sheet

#: holder columns: 氏名, 生年月日, 性別
HOLDER_COLUMNS = (2.6, 1.8, 0.8)
#: empty lines a clerk writes a number into
CLERK_LINE = "＿＿＿＿＿＿＿＿＿＿"


def _title(sh: _Sheet) -> list[Block]:
    f = sh.f
    blocks: list[Block] = [
        fitted_line(f.kind.label_ja, Style(FontRole.BOLD, sh.s.title), sh.log,
                    min_size_px=sh.s.value),
    ]  # fmt: skip
    if sh.lab.bilingual:
        blocks.append(_text(sh.lab.other(f.kind), sh.value, sh.log, center=True))
    blocks.append(Gap(sh.s.gap))
    return blocks


def _head(sh: _Sheet) -> list[Block]:
    f = sh.f
    holder = f.members[0] if f.members else None
    blocks: list[Block] = [
        sh.row(
            sh.box(Label.APPLIED_ON, dates.both(f.notified_on)),
            sh.box(Label.PROCEDURE, sh.with_other(f.kind.label_ja, f.kind)),
            fractions=(1.0, 1.6),
        )
    ]
    if holder is None:
        return blocks
    name = [
        sh.cap(Label.APPLICANT),
        _text(holder.furigana or "—", sh.small, sh.log, indent=sh.s.gap),
        _text(holder.name, sh.name, sh.log, indent=sh.s.gap),
    ]
    born = [
        sh.cap(Label.BIRTH_DATE),
        _text(dates.wareki(holder.birth_date), sh.value, sh.log, indent=sh.s.gap),
        _text(dates.western(holder.birth_date), sh.small, sh.log, indent=sh.s.gap),
    ]
    sex = sh.box(Label.SEX, sh.with_other(holder.sex.label_ja, holder.sex))
    blocks.append(sh.row(name, born, sex, fractions=HOLDER_COLUMNS))
    if f.old_address is not None:
        blocks.append(sh.row(sh.box(Label.CARD_ADDRESS, address_text(f.old_address), sh.address)))
    return blocks


def _procedure(sh: _Sheet) -> Block:
    f = sh.f
    if f.kind is FilingKind.SEAL_CARD_BINDING:
        stated = sh.lab.both(Label.SEAL_REGISTERED) if f.seal_card and f.seal_card.seal_registered \
            else "—"  # fmt: skip
        return sh.row(
            sh.box(Label.SEAL_STATEMENT, stated),
            sh.box(Label.SEAL_NUMBER, CLERK_LINE),
            sh.box(Label.RESIDENT_ID, CLERK_LINE),
            fractions=(1.6, 1.0, 1.0),
        )
    holder = f.members[0] if f.members else None
    honseki = holder.honseki if holder is not None else None
    shown = f"{honseki.address}\n筆頭者 {honseki.head_of_register or '—'}" if honseki else "—"
    return sh.row(sh.box(Label.HONSEKI, shown, sh.address))


def _certificate(sh: _Sheet) -> Block:
    cert = sh.f.card_certificate
    serial = cert.serial if cert else "—"
    until = dates.both(cert.not_after) if cert else "—"
    issuer = cert.issuer if cert else "—"
    signed = sh.lab.both(Label.CARD_SIGNED) if cert else "—"
    return Column(
        [
            sh.cap(Label.CERTIFICATE),
            sh.row(
                sh.box(Label.CERT_SERIAL, serial, Style(FontRole.BOLD, sh.s.value)),
                sh.box(Label.CERT_NOT_AFTER, until),
                [_text(signed, sh.small, sh.log)],
                fractions=(1.2, 1.2, 1.4),
            ),
            sh.row(sh.box(Label.CERT_ISSUER, issuer, sh.small)),
        ]
    )


def _signature(sh: _Sheet) -> Block:
    box = EmptyBox(
        _text(sh.lab.both(Label.APPLICANT_SIGNATURE), sh.label, sh.log), sh.s.signature_height
    )
    return sh.row([box])


def build_card_sheet(filing: Filing, qr_parts: Sequence[QrPart], sizes: Sizes) -> FormContent:
    """The one-page request: head and holder beside the codes, procedure, certificate, boxes."""
    sh = _Sheet(filing, sizes)
    blocks = _title(sh)
    blocks.append(Row([_head(sh), _codes(sh, qr_parts)], list(HEAD_AND_CODES), padding=0, border=0))
    blocks += [Gap(sizes.gap), _procedure(sh), Gap(sizes.gap), _certificate(sh), Gap(sizes.gap)]
    blocks += [_signature(sh), Gap(sizes.gap), _checks(sh), Gap(sizes.gap), _clerk(sh)]
    if sh.log.items:
        blocks[1:1] = [missing_box(sh.log, sh.lab, sizes), Gap(sizes.gap)]
    return FormContent(blocks=blocks, missing=sh.log)
