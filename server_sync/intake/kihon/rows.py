"""One kihon row per member: the filing coded through the ward's mapping (columns.py)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.forms.decisions import SpecialMoveIn, SpecialStatus, special_move_in
from kiosk.forms.model import (
    Answer,
    CardTask,
    Filing,
    FilingKind,
    HouseholdMode,
    Member,
    MoveOutRoute,
    PersonName,
    Sex,
)
from kiosk.forms.settings import DEFAULT_SETTINGS, WardSettings
from kiosk.forms.validation import validate
from server_sync.intake.kihon.address import AddressParts, address_parts
from server_sync.intake.kihon.columns import (
    ABROAD_PARTS,
    ADDRESS_PARTS,
    ADDRESS_PREFIX,
    BEFORE_MOVE_IN_PREFIX,
    BEFORE_MOVE_WITHIN_PREFIX,
    DESTINATION_PREFIX,
    EXTRA_PARTS,
    KIHON_COLUMNS,
)
from server_sync.intake.kihon.era import era_of, wareki
from server_sync.intake.kihon.mapping import WardMapping
from server_sync.intake.kihon.names import glyph_check, glyph_list, is_alphabet_name, split_name
from server_sync.intake.records import Filing as StoredFiling
from server_sync.intake.wording import jst_stamp

MAX_RELATIONSHIP_LINKS = 4
SEX_CODES = {Sex.MALE: "1", Sex.FEMALE: "2"}
JAPANESE = "日本人"
FOREIGN = "外国人"
YES, NO = "1", "0"
LIST_JOINER = "・"
FINDING_JOINER = " / "
WHOLE, PART = "全部", "一部"

#: 異動事由 classes of the 住民記録システム標準仕様書 §1.2.2 (move_out splits by destination)
REASON_CLASSES = {
    FilingKind.MOVE_IN: "国内転入",
    FilingKind.MOVE_IN_FROM_ABROAD: "国外転入",
    FilingKind.MOVE_WITHIN: "転居",
    FilingKind.MOVE_OUT: "国内転出",
    FilingKind.HEAD_CHANGE: "世帯主変更",
    FilingKind.HOUSEHOLD_SPLIT: "世帯分離",
    FilingKind.HOUSEHOLD_MERGE: "世帯合併",
    FilingKind.HOUSEHOLD_RESTRUCTURE: "世帯変更",
}
MOVE_OUT_ABROAD = "国外転出"
ANSWER_JA = {Answer.YES: "はい", Answer.NO: "いいえ", Answer.UNSURE: "窓口で確認"}
SPECIAL_JA = {
    SpecialStatus.ELIGIBLE: "特例転入",
    SpecialStatus.EXPIRED: "特例転入（期限切れ）",
}
CERTIFICATE_ROUTE = "転出証明書"
NOT_APPLICABLE = "対象外"


def reason_class(filing: Filing) -> str:
    """The §1.2.2 class of a filing (国外転出 when the destination is abroad)."""
    if filing.kind is FilingKind.MOVE_OUT and filing.new_address.country:
        return MOVE_OUT_ABROAD
    return REASON_CLASSES[filing.kind]


def _special(filing: Filing, decision: SpecialMoveIn) -> str:
    if decision.status in SPECIAL_JA:
        return SPECIAL_JA[decision.status]
    if filing.kind is FilingKind.MOVE_IN and filing.move_out_route is MoveOutRoute.CERTIFICATE:
        return CERTIFICATE_ROUTE
    return NOT_APPLICABLE


def _person(person: PersonName | None) -> tuple[str, str]:
    return (person.name, person.furigana) if person else ("", "")


def _head(filing: Filing) -> tuple[str, str]:
    if filing.household.mode is HouseholdMode.JOIN:
        return _person(filing.household.existing_head)
    head = filing.head_member
    return (head.name, head.furigana) if head else ("", "")


@dataclass(frozen=True, slots=True)
class _Coder:
    """Codes a filing's values through the ward mapping, naming the filing on failure."""

    mapping: WardMapping
    filing: Filing

    def address(self, prefix: str, parts: AddressParts, abroad: bool) -> dict[str, str]:
        fid = self.filing.id
        in_ward = parts.structured and parts.lg_code == self.filing.ward_code
        machiaza = (
            self.mapping.machiaza.code(parts.machiaza_id, fid)
            if in_ward and parts.machiaza_id
            else ""
        )
        katagaki = (
            self.mapping.katagaki.prefix_code(parts.katagaki, fid)
            if in_ward and parts.katagaki and parts.katagaki_listed
            else ""
        )
        # an address abroad in a block without country items (not expected) stays whole
        town = parts.full if parts.country and not abroad else parts.town
        values = [
            parts.lg_code,
            machiaza,
            parts.prefecture,
            parts.city,
            town,
            parts.number,
            parts.katagaki,
            katagaki,
            parts.postal_code,
        ]
        names = [part for part, _, _ in ADDRESS_PARTS]
        if abroad:
            country = self.mapping.country.code(parts.country, fid) if parts.country else ""
            values += [country, parts.country, parts.abroad]
            names += [part for part, _, _ in ABROAD_PARTS]
        values += [parts.full]
        names += [part for part, _, _ in EXTRA_PARTS]
        return {f"{prefix}_{n}": v for n, v in zip(names, values, strict=True)}

    def member(self, no: int, member: Member) -> dict[str, str]:
        fid = self.filing.id
        codes = list(self.mapping.relationship.export(member.relationship))
        codes += [""] * (MAX_RELATIONSHIP_LINKS - len(codes))
        x = member.foreign
        family, given = split_name(member.name) if x is None else ("", "")
        era = era_of(member.birth_date) if x is None else None
        glyphs = glyph_check(member.name, x.alias if x else "")
        out = {
            "氏名": member.name,
            "氏名_フリガナ": member.furigana,
            "氏_日本人": family,
            "名_日本人": given,
            "氏名_外国人ローマ字": member.name if x and is_alphabet_name(member.name) else "",
            "氏名_外国人漢字": member.name if x and not is_alphabet_name(member.name) else "",
            "通称": x.alias if x else "",
            "性別": SEX_CODES[member.sex],
            "性別表記": member.sex.label_ja,
            "生年月日": member.birth_date.isoformat(),
            "生年月日_元号": era.code if era else "",
            "生年月日_和暦": wareki(member.birth_date) if x is None else "",
            "生年月日_不詳フラグ": NO,
            "生年月日_不詳表記": "",
            **{f"続柄コード{i}": c for i, c in enumerate(codes, start=1)},
            "続柄表記": member.relationship.display,
            "住民種別": FOREIGN if x else JAPANESE,
            "国籍等_国名コード": self.mapping.country.code(x.nationality, fid, no) if x else "",
            "国籍名等": x.nationality if x else "",
            "第30条45規定区分": x.category.label_ja if x else "",
            "在留資格等コード": self.mapping.status.code(x.status, fid, no)
            if x and x.status
            else "",
            "在留資格等": x.status if x else "",
            "在留期間の満了の日": x.period_ends_on.isoformat() if x and x.period_ends_on else "",
            "在留カード等番号": x.residence_card_number if x else "",
            "本籍": member.honseki.address if member.honseki else "",
            "筆頭者氏名": member.honseki.head_of_register if member.honseki else "",
            "字形要確認": YES if glyphs else NO,
            "字形要確認_文字": glyph_list(glyphs),
            "カード読取": YES if member.from_chip else NO,
            "カード事務": LIST_JOINER.join(t.label_ja for t in CardTask if t in member.card_tasks),
        }
        return out


def _addresses(coder: _Coder, filing: Filing) -> dict[str, str]:
    new, old = address_parts(filing.new_address), address_parts(filing.old_address)
    kind = filing.kind
    empty = AddressParts()
    if kind is FilingKind.MOVE_OUT:
        here, before_in, before_within, destination = old, empty, empty, new
    elif kind in (FilingKind.MOVE_IN, FilingKind.MOVE_IN_FROM_ABROAD):
        here, before_in, before_within, destination = new, old, empty, empty
    elif kind is FilingKind.MOVE_WITHIN:
        here, before_in, before_within, destination = new, empty, old, empty
    else:  # 世帯変更: the household's address (none given = the registered one)
        here = new if new.full else old
        before_in = before_within = destination = empty
    return {
        **coder.address(ADDRESS_PREFIX, here, abroad=False),
        "住所_ABR町字ID": here.machiaza_id,
        "住所_方書_マスタ選択": YES if here.katagaki_listed else NO,
        **coder.address(BEFORE_MOVE_IN_PREFIX, before_in, abroad=True),
        **coder.address(BEFORE_MOVE_WITHIN_PREFIX, before_within, abroad=False),
        **coder.address(DESTINATION_PREFIX, destination, abroad=True),
    }


def _findings(filing: Filing, settings: WardSettings) -> str:
    found = validate(filing, None, today=filing.notified_on, settings=settings)
    return FINDING_JOINER.join(f"{f.severity.value}:{f.code}@{f.field}" for f in found)


def kihon_rows(
    stored: StoredFiling,
    filing: Filing,
    mapping: WardMapping,
    settings: WardSettings = DEFAULT_SETTINGS,
) -> list[list[str]]:
    """The rows of one filing, in ``KIHON_COLUMNS`` order (UnmappedValueError if uncodable).

    特例転入 and the findings are evaluated on the 届出日 with the ward's ``settings``. The card
    procedures (印鑑登録証, 本籍地利用登録) are not 住民異動: no rows (docs/card-procedures.md).
    """
    if filing.kind.is_card_procedure:
        return []
    coder = _Coder(mapping, filing)
    kind = filing.kind
    decision = special_move_in(filing, today=filing.notified_on, settings=settings)
    moved = filing.moved_on.isoformat()
    into = kind in (FilingKind.MOVE_IN, FilingKind.MOVE_IN_FROM_ABROAD)
    reason = reason_class(filing)
    household = filing.household
    head_name, head_kana = _head(filing)
    filer = filing.filer
    shared = {
        "届出ID": filing.id,
        "届出経路": stored.source.value,
        "入力端末": stored.kiosk_id or "",
        "仮登録日時": jst_stamp(stored.received_at),  # Japan time, as the ward's PCs show it
        "本登録日時": jst_stamp(stored.decided_at),
        "本登録者": stored.decided_by or "",
        "カード署名検証": stored.resident_binding.value,
        "市区町村コード": filing.ward_code,
        "異動事由": mapping.reason.code(reason, filing.id),
        "異動事由表記": reason,
        "特例転入": _special(filing, decision),
        "特例転入_期限": decision.last_day.isoformat() if decision.last_day else "",
        "転出の方法": filing.move_out_route.label_ja if filing.move_out_route else "",
        "異動年月日": moved,
        "異動届出年月日": filing.notified_on.isoformat(),
        "住民となった年月日": moved if into else "",
        "住所を定めた年月日": moved if into or kind is FilingKind.MOVE_WITHIN else "",
        "転出予定年月日": moved if kind is FilingKind.MOVE_OUT else "",
        "前住所地_転出予定年月日": (
            filing.planned_move_out_on.isoformat() if filing.planned_move_out_on else ""
        ),
        "世帯_異動区分": PART if household.mode is HouseholdMode.JOIN else WHOLE,
        "一部異動": YES if household.origin is not None else NO,
        "異動者数": str(len(filing.members)),
        "世帯主氏名": head_name,
        "世帯主氏名_フリガナ": head_kana,
        **_addresses(coder, filing),
        "既存世帯主氏名": _person(household.existing_head)[0],
        "既存世帯主氏名_フリガナ": _person(household.existing_head)[1],
        "旧世帯主氏名": _person(household.previous_head)[0],
        "旧世帯主氏名_フリガナ": _person(household.previous_head)[1],
        "残留世帯主氏名": _person(household.origin.remaining_head if household.origin else None)[0],
        "残留世帯主氏名_フリガナ": _person(
            household.origin.remaining_head if household.origin else None
        )[1],
        "残留世帯員数": str(household.origin.staying) if household.origin else "",
        "届出人氏名": filer.name,
        "届出人氏名_フリガナ": filer.furigana,
        "届出人資格": filer.standing.label_ja,
        "届出人_記載順": "" if filer.member_index is None else str(filer.member_index + 1),
        "届出人住所": filer.address.display() if filer.address else "",
        "届出人電話番号": filer.phone,
        "連絡先電話番号": filing.phone,
        "関連手続": LIST_JOINER.join(
            f"{a.procedure.label_ja}:{ANSWER_JA[a.answer]}" for a in filing.related
        ),
        "確認事項": _findings(filing, settings),
    }
    rows = []
    for no, member in enumerate(filing.members, start=1):
        values = {**shared, "記載順": str(no), **coder.member(no, member)}
        rows.append([values[name] for name in KIHON_COLUMNS])
    return rows
