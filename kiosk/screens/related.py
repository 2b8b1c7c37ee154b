"""Related-procedure questions (国保, 年金, 児童手当…): yes / no / ask at the counter."""

from __future__ import annotations

from functools import partial

from kiosk.forms.model import Answer, RelatedProcedure
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen

QUESTIONS = {
    RelatedProcedure.NATIONAL_HEALTH_INSURANCE: N_(
        "Does anyone moving use National Health Insurance (国民健康保険)?"
    ),
    RelatedProcedure.NATIONAL_PENSION: N_(
        "Does anyone moving pay into the National Pension (国民年金) themselves?"
    ),
    RelatedProcedure.LONG_TERM_CARE: N_(
        "Does anyone moving have long-term care insurance (介護保険) certification?"
    ),
    RelatedProcedure.LATE_ELDERLY_MEDICAL: N_(
        "Does anyone moving use the medical system for people 75 and over (後期高齢者医療)?"
    ),
    RelatedProcedure.CHILD_ALLOWANCE: N_(
        "Do you receive child allowance (児童手当) for a child moving with you?"
    ),
    RelatedProcedure.SCHOOL_ENROLMENT: N_("Will a child change school (就学)?"),
    RelatedProcedure.SEAL_REGISTRATION: N_("Does anyone moving have a registered seal (印鑑登録)?"),
}
ANSWERS = ((Answer.YES, N_("Yes")), (Answer.NO, N_("No")), (Answer.UNSURE, N_("Not sure")))


class RelatedScreen(KioskScreen):
    """One question per suggested procedure; defaults to "not sure" (the counter asks)."""

    def build_body(self) -> None:
        """Questions with three answers each."""
        review = self.flow.review
        self.hint(self._('Your answers help the counter prepare. If unsure, leave "Not sure".'))
        for procedure in review.state.questions:
            self.text(self._(QUESTIONS[procedure]))
            row = self.row()
            chosen = review.answers.get(procedure)
            for answer, label in ANSWERS:
                self.button(
                    f"q_{procedure.value}_{answer.value}",
                    self._(label),
                    partial(review.answer, procedure, answer),
                    role="primary" if chosen is answer else "chip",
                    parent=row,
                )
        self.footer_button("related_next", self._("Next"), review.related_done)


SCREEN = RelatedScreen
