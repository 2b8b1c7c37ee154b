"""転出: in Japan or abroad (国外転出); for abroad, one year or more (原則1年以上)."""

from __future__ import annotations

from functools import partial

from kiosk.flows.abroad import AbroadStage
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

#: (stage) → the question and its two answers: (id, value, label, explanation)
QUESTIONS: dict[AbroadStage, tuple[str, tuple[tuple[str, bool, str, str], ...]]] = {
    AbroadStage.WHERE: (
        N_("Where are you moving to?"),
        (
            ("abroad_no", False, N_("Somewhere in Japan"),
             N_("Next you type the new address.")),
            ("abroad_yes", True, N_("Abroad (国外)"),
             N_("Next you type the country and the address there.")),
        ),
    ),
    AbroadStage.YEAR: (
        N_("Will you live abroad for one year or more?"),
        (
            ("abroad_year_yes", True, N_("Yes, one year or more"),
             N_("This is a move abroad (国外転出).")),
            ("abroad_year_no", False, N_("No, less than one year"),
             N_("A short stay is usually no move: the counter will advise you.")),
        ),
    ),
}  # fmt: skip


class MoveAbroadScreen(KioskScreen):
    """Two big answers with one line each; the answer given before marked."""

    def build_body(self) -> None:
        """The question of the current stage."""
        question = self.flow.abroad
        hint, answers = QUESTIONS[question.stage]
        self.hint(self._(hint))
        for key, value, label, explanation in answers:
            self.button(
                key,
                self._(label),
                partial(question.answer, value),
                role="primary" if question.current is value else "chip",
                tall=True,
            )
            self.text(self._(explanation))
        self.footer_button("abroad_back", self._("Back"), question.back, role="secondary")


SCREEN = MoveAbroadScreen
