"""The kihon profile's columns: name (基本データリスト item name or a kiosk item), meaning, source.

``KIHON_COLUMNS`` is the header row, in order; docs/export-format.md documents every entry and a
test keeps the two in step. Items marked ``kiosk`` in ``table`` are not 基本データリスト items (they
carry what the form holds and the 住記 has no item for: audit, 届出人, card tasks, findings…).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    meaning: str
    source: str
    table: str = ""  # code table (mapping file) or notation; "kiosk" = not a 基本データリスト item


KIOSK = "kiosk"

_HEAD = (
    Column("届出ID", "filing id (UUIDv7, the printed barcode's id)", "filing.id", KIOSK),
    Column("届出経路", "posted (kiosk) / paper (scanned barcode)", "stored.source", KIOSK),
    Column("入力端末", "kiosk id (≈ 入力端末)", "stored.kiosk_id", KIOSK),
    Column("仮登録日時", "stored by the intake (RFC 3339, JST)", "stored.received_at", KIOSK),
    Column("本登録日時", "accepted by a clerk (RFC 3339, JST)", "stored.decided_at", KIOSK),
    Column("本登録者", "who accepted (staff:<user>)", "stored.decided_by", KIOSK),
    Column(
        "カード署名検証", "verified / untrusted_chain / absent", "stored.resident_binding", KIOSK
    ),
    Column("市区町村コード", "receiving ward (全国地方公共団体コード)", "filing.ward_code"),
    Column(
        "異動事由",
        "the ward's 異動事由コード",
        "filing.kind (+ 国外 destination)",
        "idou_jiyu.json",
    ),
    Column(
        "異動事由表記",
        "§1.2.2 class: 国内転入, 国外転入, 転居, 国内転出, 国外転出, "
        "世帯分離, 世帯合併, 世帯変更, 世帯主変更",
        "filing.kind",
        "§1.2.2",
    ),
    Column(
        "特例転入",
        "特例転入 / 特例転入（期限切れ） / 転出証明書 / 対象外",
        "move_out_route + kiosk.forms.decisions.special_move_in",
        KIOSK,
    ),
    Column(
        "特例転入_期限",
        "last day of the 特例転入 window (YYYY-MM-DD)",
        "special_move_in.last_day",
        KIOSK,
    ),
    Column("転出の方法", "how they left the old municipality", "filing.move_out_route", KIOSK),
    Column("異動年月日", "異動日", "filing.moved_on"),
    Column("異動届出年月日", "届出日", "filing.notified_on"),
    Column("住民となった年月日", "転入 kinds: = 異動日", "filing.moved_on"),
    Column("住所を定めた年月日", "転入/転居: = 異動日 (§4.1.1.1)", "filing.moved_on"),
    Column("転出予定年月日", "転出: planned date", "filing.moved_on"),
    Column(
        "前住所地_転出予定年月日",
        "転入: 転出予定日 declared at the old municipality",
        "filing.planned_move_out_on",
        KIOSK,
    ),
    Column(
        "世帯_異動区分",
        "全部 (own household) / 一部 (joins a declared 世帯主)",
        "household.mode",
        KIOSK,
    ),
    Column(
        "一部異動",
        "1 = part of the old household stays (一部転出/一部転居)",
        "household.origin",
        KIOSK,
    ),
    Column("記載順", "member position in the filing (1-based)", "members[i]", KIOSK),
    Column("異動者数", "members in the filing", "len(members)", KIOSK),
)

_MEMBER = (
    Column("氏名", "name as read from the card or entered (never normalised)", "member.name"),
    Column("氏名_フリガナ", "katakana reading", "member.furigana"),
    Column("氏_日本人", "日本人: 氏 (before the first U+3000/space)", "member.name"),
    Column("名_日本人", "日本人: 名", "member.name"),
    Column("氏名_外国人ローマ字", "外国人: name in the alphabet", "member.name"),
    Column("氏名_外国人漢字", "外国人: name in kanji", "member.name"),
    Column("通称", "外国人: registered 通称", "member.foreign.alias"),
    Column("性別", "1 男 / 2 女 (the card's code)", "member.sex", "fixed"),
    Column("性別表記", "男 / 女", "member.sex"),
    Column("生年月日", "YYYY-MM-DD (西暦)", "member.birth_date"),
    Column(
        "生年月日_元号",
        "日本人: 1 明治 2 大正 3 昭和 4 平成 5 令和 (外国人: empty, 西暦 only)",
        "member.birth_date",
        "de-facto [unverified]",
    ),
    Column("生年月日_和暦", "日本人: 「昭和60年4月1日」", "member.birth_date", KIOSK),
    Column("生年月日_不詳フラグ", "always 0: the kiosk takes full dates only", "—"),
    Column("生年月日_不詳表記", "always empty", "—"),
    Column(
        "続柄コード1",
        "first link's code (世帯主/縁故者/同居人: the only code)",
        "member.relationship",
        "relationship_codes.json",
    ),
    Column("続柄コード2", "second link's code", "member.relationship", "relationship_codes.json"),
    Column("続柄コード3", "third link's code", "member.relationship", "relationship_codes.json"),
    Column("続柄コード4", "fourth link's code", "member.relationship", "relationship_codes.json"),
    Column("続柄表記", "続柄 as on the 住民票 (子の妻)", "member.relationship"),
    Column(
        "世帯主氏名",
        "the resulting 世帯主 (declared existing head for 一部)",
        "household.existing_head / head member",
    ),
    Column("世帯主氏名_フリガナ", "its reading", "household.existing_head / head member"),
    Column("住民種別", "日本人 / 外国人", "member.foreign is None"),
    Column(
        "国籍等_国名コード",
        "外国人: nationality code",
        "member.foreign.nationality",
        "countries.json",
    ),
    Column("国籍名等", "外国人: nationality as written", "member.foreign.nationality"),
    Column(
        "第30条45規定区分",
        "中長期在留者 / 特別永住者 / 一時庇護許可者 / 仮滞在許可者 / 経過滞在者",
        "member.foreign.category",
    ),
    Column(
        "在留資格等コード",
        "外国人: 在留資格 code",
        "member.foreign.status",
        "residence_status.json",
    ),
    Column("在留資格等", "在留資格 as written", "member.foreign.status"),
    Column("在留期間の満了の日", "YYYY-MM-DD", "member.foreign.period_ends_on"),
    Column(
        "在留カード等番号",
        "在留カード / 特別永住者証明書 number",
        "member.foreign.residence_card_number",
    ),
    Column("本籍", "日本人: 本籍 (なし/不明 allowed)", "member.honseki.address"),
    Column("筆頭者氏名", "日本人: 筆頭者", "member.honseki.head_of_register"),
    Column(
        "字形要確認",
        "1 = the name has characters outside JIS X 0208 (文字同定 needed)",
        "member.name, foreign.alias",
        KIOSK,
    ),
    Column(
        "字形要確認_文字",
        "those characters with code points: 𠮷(U+20BB7)",
        "member.name, foreign.alias",
        KIOSK,
    ),
    Column(
        "カード読取",
        "1 = name/birth/sex read from the member's own card",
        "member.from_chip",
        KIOSK,
    ),
    Column(
        "カード事務",
        "継続利用・券面記載事項変更・署名用電子証明書 (as recorded by the kiosk)",
        "member.card_tasks",
        KIOSK,
    ),
)

ADDRESS_PARTS = (
    ("市区町村コード", "全国地方公共団体コード", ""),
    (
        "町字コード",
        "the ward's 住所コード of the 町字 (this ward's addresses only)",
        "machiaza.json",
    ),
    ("都道府県", "都道府県", ""),
    ("市区郡町村名", "市区郡町村名", ""),
    ("町字", "町字 incl. 丁目", ""),
    ("番地号表記", "住民票 notation: 5番2号 / 12番地3", ""),
    ("方書", "方書 (building, room)", ""),
    (
        "方書コード",
        "方書 master code (this ward's addresses, picked from the master)",
        "katagaki.json",
    ),
    ("郵便番号", "7 digits", ""),
)
ABROAD_PARTS = (
    ("国名コード", "country code (国外)", "countries.json"),
    ("国名等", "country as written", ""),
    ("国外住所", "address abroad", ""),
)
EXTRA_PARTS = (("全体表記", "the whole address as displayed (always filled when known)", KIOSK),)


def _block(prefix: str, source: str, abroad: bool) -> tuple[Column, ...]:
    parts = ADDRESS_PARTS + (ABROAD_PARTS if abroad else ()) + EXTRA_PARTS
    return tuple(
        Column(f"{prefix}_{part}", meaning, source, table) for part, meaning, table in parts
    )


ADDRESS_PREFIX = "住所"
BEFORE_MOVE_IN_PREFIX = "転入前住所"
BEFORE_MOVE_WITHIN_PREFIX = "転居前住所"
DESTINATION_PREFIX = "転出先住所（予定）"

_ADDRESSES = (
    *_block(ADDRESS_PREFIX, "new_address (転出: old_address)", abroad=False),
    Column("住所_ABR町字ID", "ABR 町字ID of the address (7 digits)", "address.machiaza_id", KIOSK),
    Column(
        "住所_方書_マスタ選択",
        "1 = 方書 picked from the ward's master, 0 = typed",
        "address.katagaki_listed",
        KIOSK,
    ),
    *_block(BEFORE_MOVE_IN_PREFIX, "old_address (転入, 国外からの転入)", abroad=True),
    *_block(BEFORE_MOVE_WITHIN_PREFIX, "old_address (転居)", abroad=False),
    *_block(DESTINATION_PREFIX, "new_address (転出)", abroad=True),
)

_HOUSEHOLD = (
    Column(
        "既存世帯主氏名",
        "一部/世帯合併: the declared existing 世帯主 joined",
        "household.existing_head",
        KIOSK,
    ),
    Column("既存世帯主氏名_フリガナ", "its reading", "household.existing_head", KIOSK),
    Column(
        "旧世帯主氏名",
        "旧世帯主 (世帯主変更, 世帯分離: the head of the old household)",
        "household.previous_head",
        KIOSK,
    ),
    Column("旧世帯主氏名_フリガナ", "its reading", "household.previous_head", KIOSK),
    Column(
        "残留世帯主氏名",
        "一部転出/転居: 世帯主 of those who stay",
        "household.origin.remaining_head",
        KIOSK,
    ),
    Column("残留世帯主氏名_フリガナ", "its reading", "household.origin.remaining_head", KIOSK),
    Column("残留世帯員数", "how many stay (0 = not declared)", "household.origin.staying", KIOSK),
)

_FILER = (
    Column("届出人氏名", "届出人", "filer.name", KIOSK),
    Column("届出人氏名_フリガナ", "its reading", "filer.furigana", KIOSK),
    Column(
        "届出人資格",
        "本人 / 世帯主 / 同一世帯員 / 任意代理人 / 法定代理人",
        "filer.standing",
        KIOSK,
    ),
    Column("届出人_記載順", "the filer's 記載順 if a member", "filer.member_index", KIOSK),
    Column("届出人住所", "proxies: their own address", "filer.address", KIOSK),
    Column("届出人電話番号", "proxies: their own phone", "filer.phone", KIOSK),
    Column("連絡先電話番号", "phone given at the kiosk", "filing.phone", KIOSK),
    Column(
        "関連手続", "国民健康保険:はい・… (はい / いいえ / 窓口で確認)", "filing.related", KIOSK
    ),
    Column(
        "確認事項",
        "the kiosk's findings on the 届出日: severity:code@field, joined by ' / '",
        "kiosk.forms.validation.validate",
        KIOSK,
    ),
)

KIHON_COLUMNS_SPEC: tuple[Column, ...] = (
    *_HEAD,
    *_MEMBER,
    *_ADDRESSES,
    *_HOUSEHOLD,
    *_FILER,
)
KIHON_COLUMNS: tuple[str, ...] = tuple(c.name for c in KIHON_COLUMNS_SPEC)
