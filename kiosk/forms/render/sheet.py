"""The A4 住民異動届 as a clerk knows it: ruled boxes, a member table, 和暦 dates, 確認事項, QR.

One page holds up to :data:`MEMBERS_ON_FIRST_PAGE` members; further members go on continuation
pages that repeat the 受付番号. Japanese labels, the visit language beside them when it is not
Japanese.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.forms.charset import outside_jis_x0208
from kiosk.forms.fonts import FontRole
from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import (
    NO_ADDRESS,
    Answer,
    Filing,
    FilingKind,
    HouseholdMode,
    Member,
    OriginHousehold,
    Standing,
)
from kiosk.forms.render import dates
from kiosk.forms.render.form import (
    FormContent,
    QrPart,
    Sizes,
    address_text,
    missing_box,
)
from kiosk.forms.render.labels import Label, Labels
from kiosk.forms.render.layout import (
    Block,
    Boxed,
    Column,
    EmptyBox,
    Gap,
    MissingLog,
    PageBreak,
    Picture,
    Row,
    StampCells,
    Style,
    fitted_line,
    text_block,
)
from kiosk.forms.render.notes import finding_lines, paper_findings
from kiosk.forms.rules import name_key
from kiosk.forms.rules_extra import automatic_head, head_leaves, is_abroad_move_out

#: the first page shows this many members; more go on continuation pages
MEMBERS_ON_FIRST_PAGE = 4
#: member table columns: No, 氏名, 生年月日, 性別, 続柄, 本籍/国籍, カード手続
MEMBER_COLUMNS = (0.45, 2.8, 2.4, 0.75, 1.8, 2.2, 1.8)
#: the head boxes and the code column beside them
HEAD_AND_CODES = (2.7, 1.0)
#: the 転出先 beside the 国外転出 answer; 残る人数 beside the remaining 世帯主
ABROAD_ROW = (2.2, 1.0)
ORIGIN_ROW = (1.0, 2.0)
#: the remaining household of one person: that person becomes 世帯主 automatically
ONE_STAYER = "残る1人（職権で世帯主）"
#: one adult and children under 15 stay: the adult becomes 世帯主 automatically [HAMADA-S]
ADULT_STAYER = "職権で（15歳以上の1名）"
#: a 任意代理人 filing without the 委任状's date: the clerk reads it off the original
ATTORNEY_DATE_AT_COUNTER = "未記入（窓口で委任状を確認）"
#: the old 世帯主 stays behind: the remaining household keeps its head
HEAD_UNCHANGED = "（変更なし）"
#: 残る人数 not declared
STAYING_UNKNOWN = "未申告"
#: under a name typed in katakana: the clerk writes the kanji
KANJI_BY_CLERK = "漢字（職員記入）"
_ANSWER_JA = {Answer.YES: "はい", Answer.NO: "いいえ", Answer.UNSURE: "窓口で確認"}


def sheet_sizes(dpi: int) -> Sizes:
    """A4 sheet sizes: labels 8 pt, values 10 pt, names 12 pt, title 20 pt."""

    def pt(points: float) -> int:
        return round(points * dpi / 72)

    return Sizes(
        title=pt(20), label=pt(8), value=pt(10), name=pt(12), small=pt(8), gap=pt(3),
        signature_height=pt(48), stamp_height=pt(40), rule=max(2, pt(0.8)),
    )  # fmt: skip


class _Sheet:
    """Styles and helpers for one filing's sheet."""

    def __init__(self, filing: Filing, sizes: Sizes) -> None:
        self.f = filing
        self.s = sizes
        self.lab = Labels(filing.language)
        self.log = MissingLog()
        self.label = Style(FontRole.TEXT, sizes.label)
        self.value = Style(FontRole.TEXT, sizes.value)
        self.name = Style(FontRole.NAME, sizes.name)
        self.address = Style(FontRole.NAME, sizes.value)
        self.small = Style(FontRole.TEXT, sizes.small)
        self.name_small = Style(FontRole.NAME, sizes.small)

    def cap(self, key: str) -> Block:
        return text_block(self.lab.both(key), self.label, self.log)

    def box(self, key: str, text: str, style: Style | None = None) -> list[Block]:
        shown = text_block(text or "—", style or self.value, self.log, indent=self.s.gap)
        return [self.cap(key), shown]

    def row(self, *cells: list[Block], fractions: Sequence[float] | None = None) -> Row:
        return Row(list(cells), list(fractions or [1.0] * len(cells)), padding=self.s.gap)

    def with_other(self, ja: str, value: object) -> str:
        other = self.lab.other(value) if self.lab.bilingual else ""  # type: ignore[arg-type]
        return f"{ja} / {other}" if other else ja


def _member_row(sh: _Sheet, number: int, m: Member) -> Row:
    honseki = "—"
    if m.foreign is not None:
        x = m.foreign
        ends = f" {x.period_ends_on.isoformat()}" if x.period_ends_on else ""
        honseki = (
            f"{x.nationality}\n{x.category.label_ja} {x.status}{ends}\n{x.residence_card_number}"
        )
    elif m.honseki is not None:
        honseki = f"{m.honseki.address}\n筆頭者 {m.honseki.head_of_register}"
    tasks = "\n".join(t.label_ja for t in sorted(m.card_tasks, key=lambda t: t.label_ja)) or "—"
    if m.furigana and name_key(m.furigana) == name_key(m.name):
        # typed by hand in katakana: the name is its own reading — print it once and leave
        # the line below for the clerk's kanji (never "ヤマダ ハナコヤマダ ハナコ")
        name_cell: list[Block] = [
            text_block(m.name, sh.name, sh.log),
            text_block(f"{KANJI_BY_CLERK}＿＿＿＿＿＿", sh.small, sh.log),
        ]
    else:
        name_cell = [
            text_block(m.furigana or "—", sh.small, sh.log),
            text_block(m.name, sh.name, sh.log),
        ]
    return sh.row(
        [text_block(str(number), sh.value, sh.log)],
        name_cell,
        [
            text_block(dates.wareki(m.birth_date), sh.value, sh.log),
            text_block(dates.western(m.birth_date), sh.small, sh.log),
        ],  # fmt: skip
        [text_block(sh.with_other(m.sex.label_ja, m.sex), sh.value, sh.log)],
        [text_block(m.relationship.display, sh.value, sh.log)],
        [text_block(honseki, sh.name_small if m.foreign is None else sh.small, sh.log)],
        [text_block(tasks, sh.small, sh.log)],
        fractions=MEMBER_COLUMNS,
    )


def _member_header(sh: _Sheet) -> Row:
    keys = (None, Label.NAME, Label.BIRTH_DATE, Label.SEX, Label.RELATIONSHIP, None,
            Label.CARD_TASKS)  # fmt: skip
    cells: list[list[Block]] = []
    for key in keys:
        if key is Label.NAME:
            text = f"{sh.lab.ja(Label.FURIGANA)}\n{sh.lab.both(Label.NAME)}"
        elif key is None:
            text = "" if not cells else f"{sh.lab.ja(Label.HONSEKI)}／国籍・在留"
        else:
            text = sh.lab.both(key)
        cells.append([text_block(text, sh.label, sh.log)])
    return sh.row(*cells, fractions=MEMBER_COLUMNS)


def _title(sh: _Sheet) -> list[Block]:
    f = sh.f
    blocks: list[Block] = [
        fitted_line(
            f"{sh.lab.ja(Label.TITLE)}（{f.kind.label_ja}）",
            Style(FontRole.BOLD, sh.s.title),
            sh.log,
            min_size_px=sh.s.value,
        )
    ]
    if sh.lab.bilingual:
        blocks.append(text_block(sh.lab.other(Label.TITLE), sh.value, sh.log, center=True))
    blocks.append(Gap(sh.s.gap))
    return blocks


def _head_boxes(sh: _Sheet) -> list[Block]:
    f = sh.f
    moved_key = Label.MOVE_OUT_ON if f.kind is FilingKind.MOVE_OUT else Label.MOVED_ON
    blocks: list[Block] = []
    blocks.append(
        sh.row(
            sh.box(Label.NOTIFIED_ON, dates.both(f.notified_on)),
            sh.box(moved_key, dates.both(f.moved_on)),
            sh.box(Label.KIND, sh.with_other(f.kind.label_ja, f.kind)),
        )
    )
    if f.move_out_route is not None or f.planned_move_out_on is not None:
        route = f.move_out_route
        blocks.append(
            sh.row(
                sh.box(Label.ROUTE, sh.with_other(route.label_ja, route) if route else "—"),
                sh.box(
                    Label.PLANNED_MOVE_OUT,
                    dates.both(f.planned_move_out_on) if f.planned_move_out_on else "—",
                ),
            )
        )
    if f.kind.is_household_change:
        shown = (
            sh.lab.both(Label.NO_ADDRESS_CHANGE)
            if f.new_address == NO_ADDRESS
            else address_text(f.new_address)
        )
        blocks.append(sh.row(sh.box(Label.ADDRESS, shown, sh.address)))
    else:
        new_key = Label.DESTINATION if f.kind is FilingKind.MOVE_OUT else Label.NEW_ADDRESS
        new = sh.box(new_key, address_text(f.new_address), sh.address)
        if is_abroad_move_out(f) or f.abroad_for_one_year_or_more is not None:
            abroad = sh.box(Label.ABROAD_YEAR, abroad_answer(sh))
            blocks.append(sh.row(new, abroad, fractions=ABROAD_ROW))
        else:
            blocks.append(sh.row(new))
    if f.old_address is not None:
        blocks.append(sh.row(sh.box(Label.OLD_ADDRESS, address_text(f.old_address), sh.address)))
    origin = f.household.origin
    whole = f.household.mode is HouseholdMode.WHOLE and origin is None
    mode_key = Label.WHOLE if whole else Label.JOIN
    mode = sh.lab.ja(mode_key) if whole or f.household.mode is HouseholdMode.JOIN else "一部"
    if not whole and f.household.mode is HouseholdMode.WHOLE:
        mode = "一部（残る世帯あり）"
    previous = f.household.previous_head
    blocks.append(
        sh.row(
            sh.box(Label.HEAD, f.head_name, sh.name),
            sh.box(Label.HOUSEHOLD, mode),
            sh.box(Label.OLD_HEAD, previous.name if previous else "—", sh.name),
        )
    )
    if origin is not None:
        # the household left behind: how many stay and who is its 世帯主 now
        blocks.append(
            sh.row(
                sh.box(Label.STAYING, staying_text(origin)),
                sh.box(Label.REMAINING_HEAD, remaining_head_text(f), sh.name),
                fractions=ORIGIN_ROW,
            )
        )
    return blocks


def abroad_answer(sh: _Sheet) -> str:
    """国外転出: 1年以上の国外滞在 はい / いいえ / 未回答 (the visit language beside)."""
    answer = sh.f.abroad_for_one_year_or_more
    if answer is None:
        return sh.lab.both(Label.NOT_ANSWERED)
    return sh.with_other(_ANSWER_JA[Answer.YES if answer else Answer.NO],
                         Answer.YES if answer else Answer.NO)  # fmt: skip


def staying_text(origin: OriginHousehold) -> str:
    """``3人（うち15歳未満1人）``; 未申告 when the count was not declared."""
    if origin.staying <= 0:
        return STAYING_UNKNOWN
    children = f"（うち15歳未満{origin.staying_children}人）" if origin.staying_children else ""
    return f"{origin.staying}人{children}"


def remaining_head_text(filing: Filing) -> str:
    """The remaining household's 世帯主: declared, by 職権 (one stayer / one adult), or the
    old 世帯主 who stays (unchanged); ``—`` when nobody can tell."""
    origin = filing.household.origin
    if origin is None:
        return "—"
    if origin.remaining_head is not None:
        return origin.remaining_head.name
    previous = filing.household.previous_head
    if previous is not None and not head_leaves(filing):
        return f"{previous.name}{HEAD_UNCHANGED}"
    if automatic_head(origin):
        # made 世帯主 by 職権 [JYUKI j490][HAMADA-S]
        return ONE_STAYER if origin.staying == 1 else ADULT_STAYER
    return "—"


def _filer_row(sh: _Sheet) -> Row:
    f = sh.f
    filer = f.filer
    info: list[Block] = [
        *sh.box(Label.FILER, filer.name, sh.name),
        *sh.box(Label.STANDING, sh.with_other(filer.standing.label_ja, filer.standing)),
    ]
    if filer.address is not None:
        info += sh.box(Label.FILER_ADDRESS, address_text(filer.address), sh.address)
    dated = filer.power_of_attorney_dated
    if filer.standing is Standing.PROXY or dated is not None:
        shown = dates.both(dated) if dated is not None else ATTORNEY_DATE_AT_COUNTER
        info += sh.box(Label.POWER_OF_ATTORNEY_DATED, shown)
    phone = filer.phone or f.phone
    if phone:
        info += sh.box(Label.PHONE, phone)
    signature = EmptyBox(
        text_block(
            f"{sh.lab.both(Label.SIGNATURE)}（{sh.lab.ja(Label.SIGNATURE_NOTE)}）", sh.label, sh.log
        ),
        sh.s.signature_height,
    )
    return sh.row(info, [signature], fractions=(1.0, 1.0))


def _checks(sh: _Sheet) -> Block:
    lines = finding_lines(paper_findings(sh.f), sh.lab, sh.f)
    inner: list[Block] = [sh.cap(Label.CHECKS)]
    inner += [text_block(line, sh.small, sh.log) for line in lines] or [
        text_block(sh.lab.ja(Label.NONE), sh.small, sh.log)
    ]
    if sh.f.related:
        related = "　".join(f"{r.procedure.label_ja}: {_ANSWER_JA[r.answer]}" for r in sh.f.related)
        inner += [Gap(sh.s.gap), text_block(f"{sh.lab.ja(Label.RELATED)}　{related}", sh.small,
                                            sh.log)]  # fmt: skip
    return Boxed(inner, padding=sh.s.gap, border=3)


def _clerk(sh: _Sheet) -> Block:
    cells = [text_block(sh.lab.ja(k), sh.small, sh.log) for k in (Label.RECEPTION, Label.ENTRY,
                                                                  Label.REVIEW)]  # fmt: skip
    clerk: list[Block] = [
        StampCells(
            text_block(sh.lab.both(Label.CLERK), sh.label, sh.log), cells, sh.s.stamp_height
        ),  # fmt: skip
    ]
    gaiji = outside_jis_x0208("".join(m.name for m in sh.f.members) + sh.f.filer.name)
    if gaiji:
        clerk += [
            Gap(sh.s.gap),
            text_block(sh.lab.both(Label.OUTSIDE_JIS), sh.small, sh.log),
            text_block("・".join(f"{ch} (U+{ord(ch):04X})" for ch in gaiji), sh.address, sh.log),
        ]
    return Column(clerk)


def _codes(sh: _Sheet, qr_parts: Sequence[QrPart]) -> list[Block]:
    number = receipt_number_display(receipt_number(sh.f.id))
    codes: list[Block] = [
        text_block(sh.lab.both(Label.RECEIPT_NO), sh.label, sh.log, center=True),
        text_block(number, Style(FontRole.BOLD, sh.s.title), sh.log, center=True),
    ]
    for part in qr_parts:
        codes += [
            Picture(part.image),
            text_block(
                f"{sh.lab.ja(Label.CODES)} {part.index}/{part.total}", sh.small, sh.log, center=True
            ),  # fmt: skip
        ]
    head, _, tail = sh.f.id.rpartition("-")  # the UUID on two lines, broken at a hyphen
    codes.append(text_block(f"{head}-\n{tail}", sh.small, sh.log, center=True))
    return codes


def build_sheet(filing: Filing, qr_parts: Sequence[QrPart], sizes: Sizes) -> FormContent:
    """Page 1 (head, first members, filer, 確認事項, clerk box, codes) and continuation pages."""
    sh = _Sheet(filing, sizes)
    blocks = _title(sh)
    # the boxes of the head beside the code(s), like the barcode corner of a ward form
    blocks.append(
        Row([_head_boxes(sh), _codes(sh, qr_parts)], list(HEAD_AND_CODES), padding=0, border=0)
    )
    members = list(enumerate(filing.members, start=1))
    first, rest = members[:MEMBERS_ON_FIRST_PAGE], members[MEMBERS_ON_FIRST_PAGE:]
    table: list[Block] = [_member_header(sh), *(_member_row(sh, n, m) for n, m in first)]
    if rest:
        more = f"{sh.lab.ja(Label.MEMBERS)} {len(filing.members)}人（5人目以降は次ページ）"
        table.append(text_block(more, sh.label, sh.log))
    blocks += [Gap(sh.s.gap), Column(table), Gap(sh.s.gap), _filer_row(sh), Gap(sh.s.gap)]
    blocks += [_checks(sh), Gap(sh.s.gap), _clerk(sh)]
    if rest:
        number = receipt_number_display(receipt_number(filing.id))
        blocks += [
            PageBreak(),
            text_block(
                f"{sh.lab.ja(Label.TITLE)}（{sh.lab.ja(Label.CONTINUED)}）"
                f"　{sh.lab.ja(Label.RECEIPT_NO)} {number}",
                Style(FontRole.BOLD, sizes.name),
                sh.log,
            ),
            Gap(sh.s.gap),
            _member_header(sh),
            *(_member_row(sh, n, m) for n, m in rest),
        ]
    if sh.log.items:
        blocks[1:1] = [missing_box(sh.log, sh.lab, sizes), Gap(sizes.gap)]
    return FormContent(blocks=blocks, missing=sh.log)
