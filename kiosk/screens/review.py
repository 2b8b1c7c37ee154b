"""Review: everything on one scrollable screen, each part editable; print."""

from __future__ import annotations

from kiosk.flows.review import VISIT_INCOMPLETE
from kiosk.flows.steps import EditTarget
from kiosk.forms.messages import message
from kiosk.forms.model import FilingKind
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.format import birth_text
from kiosk.screens.procedure import LABELS
from kiosk.screens.related import ANSWERS, QUESTIONS

ANSWER_LABELS = dict(ANSWERS)
VISIT_INCOMPLETE_TEXT = N_(
    "Something needed for the form is missing. Please check the parts above."
)


class ReviewScreen(KioskScreen):
    """The whole filing as the resident will sign it."""

    def build_body(self) -> None:
        """Sections with edit buttons; errors block printing."""
        flow = self.flow
        review = flow.review
        visit = flow.visit
        filing = review.state.filing
        if visit.kind is not None:
            self.text(self._(LABELS[visit.kind]))
        moved = filing.moved_on if filing else None
        self.text(
            self._("Moving date")
            if visit.kind is not FilingKind.MOVE_OUT
            else self._("Planned moving date")
        )
        row = self.row()
        self.button("date_minus", "-1", lambda: review.shift_moved_on(-1), role="chip", parent=row)
        self.text(moved.isoformat() if moved else "-", data=True, parent=row)
        self.button("date_plus", "+1", lambda: review.shift_moved_on(1), role="chip", parent=row)
        self.text(self._("Previous address"))
        self.text(visit.old_address or "-", data=True)
        self.text(self._("New address"))
        new = filing.new_address.display() if filing else "-"
        self.text(new, data=True)
        self.button(
            "edit_address",
            self._("Change the address"),
            lambda: review.edit(EditTarget.ADDRESS),
            role="chip",
        )
        if visit.kind is not FilingKind.MOVE_OUT:
            self.button(
                "edit_katagaki",
                self._("Change the building / room"),
                lambda: review.edit(EditTarget.KATAGAKI),
                role="chip",
            )
        self.text(self._("People moving"))
        if visit.existing_head:
            self.text(self._("Joining the household of:") + " " + visit.existing_head, data=True)
        for member in visit.members:
            rel = member.relationship.display if member.relationship else "-"
            self.text(f"{member.name}（{rel}） {birth_text(member.birth_date)}", data=True)
        self.button(
            "edit_household",
            self._("Change the people"),
            lambda: review.edit(EditTarget.HOUSEHOLD),
            role="chip",
        )
        if review.answers:
            self.text(self._("Other procedures"))
            for procedure, answer in review.answers.items():
                self.text(f"{self._(QUESTIONS[procedure])} → {self._(ANSWER_LABELS[answer])}")
            self.button(
                "edit_related",
                self._("Change the answers"),
                lambda: review.edit(EditTarget.RELATED),
                role="chip",
            )
        for finding in review.state.findings:
            self.text("⚠ " + message(finding, translate=self._translate_msgid))
        if VISIT_INCOMPLETE in review.state.errors:
            self.text("⚠ " + self._(VISIT_INCOMPLETE_TEXT))
        if not review.state.errors:
            self.footer_button("print", self._("Print the form"), review.print)

    def _translate_msgid(self, msgid: str, _lang: str) -> str:
        """A finding's English msgid through the app's gettext catalogs (current language)."""
        return self._(msgid)


SCREEN = ReviewScreen
