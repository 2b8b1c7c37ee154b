"""転入 of a Japanese national: 本籍 (prefecture, then 市区町村 picked; the rest typed) and 筆頭者.

The 市区町村 come from the national list (``kiosk.flows.honseki_places``), each with its reading;
a prefecture with many places is first narrowed by the kana row of the reading. "Not in the list"
types the city as well; "not in the list / outside Japan" types the whole 本籍.
"""

from __future__ import annotations

from functools import partial

from kiosk.flows.honseki_places import ONE_SCREEN, places, rows_of
from kiosk.flows.newcomer import HonsekiLevel
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

#: the 47 prefectures, north to south (JIS X 0401 order)
PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip
#: prefecture buttons per row (landscape / upright)
COLUMNS, PORTRAIT_COLUMNS = 6, 4
#: place buttons (name over reading) per row (landscape / upright)
CITY_COLUMNS, CITY_PORTRAIT_COLUMNS = 3, 2
#: a reading longer than this may wrap to a second line (北九州市小倉南区: 16 kana): a taller button
LONG_READING = 11
#: the height of such a button, in touch sizes (name + two lines of reading)
LONG_FACTOR = 2.2
PREFECTURE_HINT = N_(
    "Registered domicile (本籍) as in your family register: choose the prefecture, then the "
    "municipality, then type the rest."
)
CITY_HINT = N_("Choose the municipality (市区町村): a city, ward, town or village.")
ROW_HINT = N_("Choose the first sound of its reading.")
FREE = N_("Not in the list or outside Japan: type it")
CITY_FREE = N_("Not in the list: type the municipality and the rest")


class HonsekiScreen(KioskScreen):
    """The prefecture of the 本籍 (then the keyboard), or "not known now"."""

    def build_body(self) -> None:
        """Whose 本籍, what was answered, the prefectures."""
        newcomer = self.flow.newcomer
        member = newcomer.member
        if member is None:
            return
        if newcomer.honseki_level is HonsekiLevel.CITY:
            self._cities()
            return
        self.hint(self._(PREFECTURE_HINT))
        self.text(member.name, data=True)
        if member.honseki is not None:
            head = member.honseki.head_of_register
            self.text(member.honseki.address + (f"（{head}）" if head else ""), data=True)
        if not newcomer.honseki_required:  # 本籍地利用登録 needs the 本籍
            self.button(
                "honseki_unknown", self._("Not known now (the counter checks)"),
                newcomer.honseki_unknown, role="chip",
            )  # fmt: skip
        grid = self.grid(COLUMNS, portrait_cols=PORTRAIT_COLUMNS)
        for i, prefecture in enumerate(PREFECTURES):
            self.button(
                f"pref_{i + 1:02d}", prefecture, partial(newcomer.pick_prefecture, prefecture),
                role="chip", parent=grid, compact=True,
            )  # fmt: skip
        self.button("honseki_free", self._(FREE), newcomer.honseki_free, role="chip")
        self.footer_button("honseki_back", self._("Back"), newcomer.honseki_back, role="secondary")
        if member.honseki is not None:
            self.footer_button("honseki_keep", self._("Next"), newcomer.honseki_keep)

    def _cities(self) -> None:
        """The prefecture's 市区町村 (name over reading), narrowed by kana row when many."""
        newcomer = self.flow.newcomer
        prefecture = newcomer.prefecture
        every = places(prefecture)
        narrowed = len(every) > ONE_SCREEN
        self.hint(self._(CITY_HINT) + (" " + self._(ROW_HINT) if narrowed else ""))
        self.text(prefecture, data=True)
        if narrowed:
            rows = self.grid(6 if self.app.portrait or self.app.large_text else 10)
            for row in rows_of(prefecture):
                role = "primary" if row == newcomer.city_row else "chip"
                self.button(
                    f"city_kana_{row}", row, partial(newcomer.pick_city_row, row),
                    role=role, parent=rows, compact=True,
                )  # fmt: skip
        shown = places(prefecture, newcomer.city_row) if narrowed else every
        if narrowed and not newcomer.city_row:
            shown = []
        grid = self.grid(CITY_COLUMNS, portrait_cols=CITY_PORTRAIT_COLUMNS) if shown else None
        for place in shown:
            btn = self.button(
                f"city_{place.code}", f"{place.name}\n{place.kana}",
                partial(newcomer.pick_city, place.name), role="secondary", parent=grid, tall=True,
            )  # fmt: skip
            if len(place.kana) > LONG_READING or self.app.large_text:
                btn.height = self.app.touch_px * LONG_FACTOR  # the grid row grows with it
        self.button("honseki_city_free", self._(CITY_FREE), newcomer.city_not_listed, role="chip")
        self.footer_button("honseki_back", self._("Back"), newcomer.honseki_back, role="secondary")


SCREEN = HonsekiScreen
