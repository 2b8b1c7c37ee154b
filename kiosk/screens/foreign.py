"""転入 of a foreign resident: the 住基法 §30の45 items, each changeable; the number checked."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from kiosk.forms.model import ForeignCategory
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.date_entry import date_line

CATEGORIES = (
    (ForeignCategory.MID_LONG_TERM, N_("Mid- to long-term resident (中長期在留者)")),
    (ForeignCategory.SPECIAL_PERMANENT, N_("Special permanent resident (特別永住者)")),
    (ForeignCategory.TEMPORARY_REFUGE, N_("Temporary refuge (一時庇護許可者)")),
    (ForeignCategory.PROVISIONAL_STAY, N_("Provisional stay (仮滞在許可者)")),
    (ForeignCategory.TRANSITIONAL, N_("Transitional stay (経過滞在者)")),
)
#: the statuses of residence most often seen at a ward counter, as printed on the card
STATUSES = (
    "永住者", "日本人の配偶者等", "永住者の配偶者等", "定住者", "技術・人文知識・国際業務",
    "特定技能", "技能実習", "留学", "家族滞在", "経営・管理",
)  # fmt: skip
STATUS_COLUMNS = 2


class ForeignScreen(KioskScreen):
    """国籍・地域, 区分, card number, 在留資格, 満了日, 通称; "next" once they can be filed."""

    def build_body(self) -> None:
        """One block per item."""
        newcomer = self.flow.newcomer
        member = newcomer.member
        if member is None:
            return
        draft = newcomer.foreign
        self.hint(self._("As written on your residence card (在留カード)."))
        self.text(member.name, data=True)
        self._item("f_nationality", N_("Nationality or region (国籍・地域)"), draft.nationality,
                   newcomer.edit_nationality)  # fmt: skip
        self.text(self._("Category"))
        columns = 1 if self.app.large_text else STATUS_COLUMNS
        grid = self.grid(columns, portrait_cols=1)
        for category, label in CATEGORIES:
            self.button(
                f"f_cat_{category.value}", self._(label),
                partial(newcomer.choose_category, category),
                role="primary" if draft.category is category else "chip", parent=grid,
            )  # fmt: skip
        if draft.category.has_card_number:
            self._item("f_card", N_("Residence card number (在留カード番号)"),
                       draft.residence_card_number, newcomer.edit_card_number)  # fmt: skip
            if not draft.card_number_ok:
                self.error(self._(CARD_WRONG), self._(CARD_FORMAT), kiosk_id="f_card_error")
        if draft.category is ForeignCategory.MID_LONG_TERM:
            self.text(self._("Status of residence (在留資格)"))
            grid = self.grid(STATUS_COLUMNS, portrait_cols=1)
            for i, status in enumerate(STATUSES):
                self.button(
                    f"f_status_{i}", status, partial(newcomer.choose_status, status),
                    role="primary" if draft.status == status else "chip", parent=grid,
                )  # fmt: skip
            other = draft.status if draft.status and draft.status not in STATUSES else ""
            self._item("f_status_other", N_("Another status (type it)"), other,
                       newcomer.edit_status)  # fmt: skip
            ends = draft.period_ends_on
            self._item("f_period", N_("Period of stay ends on (在留期間満了日)"),
                       date_line(ends) if ends else "", newcomer.edit_period)  # fmt: skip
        self._item("f_alias", N_("Registered alias (通称), if any"), draft.alias,
                   newcomer.edit_alias)  # fmt: skip
        self.footer_button("f_back", self._("Back"), newcomer.reask, role="secondary")
        if draft.complete:
            self.footer_button("f_next", self._("Next"), newcomer.foreign_done)

    def _item(self, kiosk_id: str, label: str, value: str, action: Callable[[], None]) -> None:
        """A label, the value typed (or -) and a button to change it."""
        self.text(self._(label))
        row = self.row()
        self.text(value or "-", data=True, parent=row)
        self.button(kiosk_id, self._("Change"), action, role="chip", parent=row)


CARD_WRONG = N_("This residence card number is not in the right form.")
CARD_FORMAT = N_(
    "A residence card number is 2 letters, 8 digits and 2 letters (e.g. AB12345678CD)."
)

SCREEN = ForeignScreen
