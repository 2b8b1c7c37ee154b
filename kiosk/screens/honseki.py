"""転入 of a Japanese national: 本籍 (the prefecture picked, the rest typed) and 筆頭者."""

from __future__ import annotations

from functools import partial

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


class HonsekiScreen(KioskScreen):
    """The prefecture of the 本籍 (then the keyboard), or "not known now"."""

    def build_body(self) -> None:
        """Whose 本籍, what was answered, the prefectures."""
        newcomer = self.flow.newcomer
        member = newcomer.member
        if member is None:
            return
        self.hint(
            self._(
                "Registered domicile (本籍) as in your family register: choose the prefecture, "
                "then type the rest."
            )
        )
        self.text(member.name, data=True)
        if member.honseki is not None:
            head = member.honseki.head_of_register
            self.text(member.honseki.address + (f"（{head}）" if head else ""), data=True)
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
        self.footer_button("honseki_back", self._("Back"), newcomer.reask, role="secondary")
        if member.honseki is not None:
            self.footer_button("honseki_keep", self._("Next"), newcomer.honseki_keep)


SCREEN = HonsekiScreen
