"""An address in 基本データリスト parts (都道府県, 市区郡町村名, 町字, 番地号表記, 方書).

Structured addresses (from the ward's address master) split exactly; 番地号表記 is written in
住民票 notation (「5番2号」, 「12番地3」), as the console shows it (``Address.display``).
Free-text addresses (the card's old address, a 転出先) are split best-effort: 都道府県 by name,
市区郡町村名 up to the first 市/区/町/村 (郡 + 町村, 政令指定都市 + 区), 町字 up to the first
digit, the rest after a space is the 方書. What cannot be split stays whole in 町字 — the full
text is always exported too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.forms.model import Address, AddressScheme, parcel_display

PREFECTURES = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)
DESIGNATED_CITIES = (
    "札幌市",
    "仙台市",
    "さいたま市",
    "千葉市",
    "横浜市",
    "川崎市",
    "相模原市",
    "新潟市",
    "静岡市",
    "浜松市",
    "名古屋市",
    "京都市",
    "大阪市",
    "堺市",
    "神戸市",
    "岡山市",
    "広島市",
    "北九州市",
    "福岡市",
    "熊本市",
)
_COUNTY_RE = re.compile(r"[^\s\d０-９]+?郡[^\s\d０-９]+?[町村]")
_WARD_RE = re.compile(r"[^\s\d０-９]+?区")
_CITY_RE = re.compile(r"[^\s\d０-９]+?[市区町村]")
_NUMBER_RE = re.compile(r"[0-9０-９]")
_KATAGAKI_RE = re.compile(r"[\u3000 ]")


@dataclass(frozen=True, slots=True)
class AddressParts:
    """One address in 基本データリスト parts (empty strings where not applicable)."""

    lg_code: str = ""
    machiaza_id: str = ""
    prefecture: str = ""
    city: str = ""
    town: str = ""
    number: str = ""  # 番地号表記
    katagaki: str = ""
    katagaki_listed: bool = False
    postal_code: str = ""
    country: str = ""
    abroad: str = ""  # 国外住所
    full: str = ""  # the whole address as displayed
    structured: bool = False


def number_notation(address: Address) -> str:
    """住所_番地号表記 in 住民票 notation: 「5番2号」 (住居表示) or 「12番地3」 (地番)."""
    if address.scheme is AddressScheme.RESIDENTIAL:
        return f"{address.block}番{address.residence}号"
    if address.scheme is AddressScheme.PARCEL:
        return parcel_display(address.chiban)
    return ""


def _split_city(rest: str) -> tuple[str, str]:
    for city in DESIGNATED_CITIES:
        if rest.startswith(city):
            ward = _WARD_RE.match(rest, len(city))
            end = ward.end() if ward else len(city)
            return rest[:end], rest[end:]
    for pattern in (_COUNTY_RE, _CITY_RE):
        found = pattern.match(rest)
        if found:
            return found.group(), rest[found.end() :]
    return "", rest


def split_free_text(text: str) -> tuple[str, str, str, str, str]:
    """(都道府県, 市区郡町村名, 町字, 番地号表記, 方書) of a free-text address, best-effort."""
    body, katagaki = _cut_katagaki(text)
    prefecture = next((p for p in PREFECTURES if body.startswith(p)), "")
    city, rest = _split_city(body[len(prefecture) :])
    number = _NUMBER_RE.search(rest)
    if not city or number is None:
        return prefecture, city, rest, "", katagaki
    return prefecture, city, rest[: number.start()], rest[number.start() :], katagaki


def _cut_katagaki(text: str) -> tuple[str, str]:
    """The address before the first space and the 方書 after it."""
    parts = _KATAGAKI_RE.split(text.strip(), maxsplit=1)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def address_parts(address: Address | None) -> AddressParts:
    """The parts of an address (all empty for None / the 世帯変更 "no address")."""
    if address is None or address == Address(AddressScheme.FREE_TEXT):
        return AddressParts()
    if address.scheme is not AddressScheme.FREE_TEXT:
        return AddressParts(
            lg_code=address.lg_code,
            machiaza_id=address.machiaza_id,
            prefecture=address.prefecture,
            city=address.city,
            town=address.town,
            number=number_notation(address),
            katagaki=address.katagaki,
            katagaki_listed=address.katagaki_listed,
            postal_code=address.postal_code,
            full=address.display(),
            structured=True,
        )
    if address.country:
        return AddressParts(
            country=address.country, abroad=address.free_text, full=address.display()
        )
    prefecture, city, town, number, katagaki = split_free_text(address.free_text)
    return AddressParts(
        lg_code=address.lg_code,
        prefecture=prefecture,
        city=city,
        town=town,
        number=number,
        katagaki=katagaki or address.katagaki,
        postal_code=address.postal_code,
        full=address.display(),
    )
