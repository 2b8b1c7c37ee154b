"""Review: everything on one scrollable screen, each part editable; print."""

from __future__ import annotations

from datetime import date

from kiosk.flows.review import VISIT_INCOMPLETE
from kiosk.flows.steps import EditTarget
from kiosk.forms.findings import Finding, Severity, member_index
from kiosk.forms.messages import message
from kiosk.forms.model import Filing, FilingKind, HouseholdMode, MoveOutRoute
from kiosk.i18n.catalog import N_
from kiosk.screens.base import KioskScreen
from kiosk.screens.date_entry import WEEKDAYS, date_line
from kiosk.screens.filer import STANDING_LABELS
from kiosk.screens.format import birth_text
from kiosk.screens.move_out_route import ROUTES
from kiosk.screens.procedure import LABELS
from kiosk.screens.related import ANSWERS, QUESTIONS
from kiosk.screens.relationship_text import relationship_text

ANSWER_LABELS = dict(ANSWERS)
#: the review's print without the card's signature (short: two footer buttons on an upright panel)
PRINT_UNSIGNED = N_("Print without signing")
CHANGE_DATE = N_("Date of the change")
ADDRESS_STAYS = N_("Address (does not change)")
PEOPLE_CHANGING = N_("People whose household changes")
NEW_HEAD = N_("Head of household after the change (世帯主)")
PREVIOUS_HEAD = N_("Head of household until now (旧世帯主)")
PROXY_DATED = N_("Letter of proxy dated")
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
        change = visit.kind is not None and visit.kind.is_household_change
        if visit.kind is not None:
            self.text(self._(LABELS[visit.kind]))
        if change:  # 世帯変更: the kind is what the filing changes (no address to change)
            self.button(
                "edit_kind", self._("Change the kind of change"),
                lambda: review.edit(EditTarget.CHANGE_KIND), role="chip",
            )  # fmt: skip
        self._findings()
        self._date(filing, change)
        if change:
            self._household_change(filing)
        else:
            self._addresses(filing)
        if visit.kind is FilingKind.MOVE_IN:
            self._newcomers()
        self._filer(filing)
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
        if not review.state.errors:
            if flow.signing.possible:
                self.footer_button(
                    "print_signed", self._("Sign with my card and print"),
                    lambda: review.print(sign=True),
                )  # fmt: skip
                self.footer_button("print", self._(PRINT_UNSIGNED), review.print, role="secondary")
            else:
                self.footer_button("print", self._("Print the form"), review.print)

    def _date(self, filing: Filing | None, change: bool) -> None:
        """The 異動日 (a 世帯変更's date of the change), in 和暦 and 西暦, changeable."""
        flow = self.flow
        visit = flow.visit
        moved = filing.moved_on if filing else None
        if change:
            self.text(self._(CHANGE_DATE))
        elif visit.kind is FilingKind.MOVE_OUT:
            self.text(self._("Planned moving date"))
        else:
            self.text(self._("Moving date"))
        if moved is not None:
            self.text(date_line(moved), data=True)
            today_mark = f" — {self._('Today')}" if moved == flow.dates.today else ""
            self.text(f"{moved.isoformat()} ({self._(WEEKDAYS[moved.weekday()])}){today_mark}")
        else:
            self.text("-", data=True)
        self.button("edit_date", self._("Change the date"), flow.review.edit_moved_on, role="chip")

    def _addresses(self, filing: Filing | None) -> None:
        """A move: the route (転入), the previous and the new address, the people moving."""
        flow = self.flow
        review, visit = flow.review, flow.visit
        if filing is not None and filing.kind is FilingKind.MOVE_IN:
            self._move_out(filing.move_out_route, filing.planned_move_out_on)
        self.text(self._("Previous address"))
        self.text(visit.old_address or "-", data=True)
        self.text(self._("New address"))
        new = filing.new_address.display() if filing else "-"
        self.text(new, data=True)
        if filing is not None and filing.abroad_for_one_year_or_more is not None:
            year = filing.abroad_for_one_year_or_more
            answer = self._("Yes, one year or more") if year else self._("No, less than one year")
            self.text(self._("Will you live abroad for one year or more?") + " " + answer)
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
        self._members()

    def _members(self) -> None:
        """Each member with the 続柄 declared, and the change button."""
        for member in self.flow.visit.members:
            rel = relationship_text(member.relationship, self._)
            self.text(f"{member.name}（{rel}） {birth_text(member.birth_date)}", data=True)
        self.button(
            "edit_household",
            self._("Change the people"),
            lambda: self.flow.review.edit(EditTarget.HOUSEHOLD),
            role="chip",
        )

    def _household_change(self, filing: Filing | None) -> None:
        """A 世帯変更: what the filing changes — who, which household, the 世帯主 — no address."""
        visit = self.flow.visit
        self.text(self._(ADDRESS_STAYS))
        self.text(visit.old_address or "-", data=True)
        self.text(self._(PEOPLE_CHANGING))
        self._members()
        if filing is None:
            return
        household = filing.household
        self.text(self._(NEW_HEAD))
        if household.mode is HouseholdMode.JOIN and household.existing_head is not None:
            joined = self._("Joining the household of:") + " " + household.existing_head.name
            self.text(joined, data=True)
        else:
            head = filing.head_member
            self.text(head.name if head is not None else "-", data=True)
        if household.previous_head is not None:
            self.text(self._(PREVIOUS_HEAD))
            self.text(household.previous_head.name, data=True)

    def _filer(self, filing: Filing | None) -> None:
        """Who files (届出人): shown for every procedure, changeable."""
        filer = self.flow.household.filer
        standing = filer.label_standing()
        self.text(self._("Filed by: {name} ({standing})").format(
            name=filer.display_name(), standing=self._(STANDING_LABELS[standing])
        ), data=True)  # fmt: skip
        dated = filing.filer.power_of_attorney_dated if filing is not None else None
        if dated is not None:
            self.text(self._(PROXY_DATED) + " " + date_line(dated), data=True)
        self.button(
            "edit_filer", self._("Change who files"),
            lambda: self.flow.review.edit(EditTarget.FILER), role="chip",
        )  # fmt: skip

    def _newcomers(self) -> None:
        """転入: each member's 本籍 (日本国籍) or nationality and card number, changeable."""
        self.text(self._("Nationality"))
        for member in self.flow.visit.members:
            if member.foreign is not None:
                shown = f"{member.foreign.nationality} {member.foreign.residence_card_number}"
            elif member.honseki is not None:
                shown = f"日本国籍　{member.honseki.address}"
            else:
                shown = "日本国籍" if member.japanese else "-"
            self.text(f"{member.name}: {shown.strip()}", data=True)
        self.button(
            "edit_newcomer", self._("Change"),
            lambda: self.flow.review.edit(EditTarget.NEWCOMER), role="chip",
        )  # fmt: skip

    def _findings(self) -> None:
        """Every finding first, in kind words: errors block printing, the rest say what to do."""
        review = self.flow.review
        findings = review.state.findings
        if findings or review.state.errors:
            self.text(self._("Please read before printing"))
        filing = review.state.filing
        for finding in findings:
            mark = "⚠ " if finding.severity is Severity.ERROR else "※ "
            who = _member_of(finding, filing)
            self.text(mark + who + message(finding, translate=self._translate_msgid))
        if VISIT_INCOMPLETE in review.state.errors:
            self.text("⚠ " + self._(VISIT_INCOMPLETE_TEXT))

    def _move_out(self, route: MoveOutRoute | None, planned: date | None) -> None:
        """転入: how they left the old municipality and the 転出予定日 given there."""
        review = self.flow.review
        self.text(self._("Leaving your previous city"))
        label = next(label for r, _k, label, _e in ROUTES if r is route)
        self.text(self._(label), data=True)
        if planned is not None:
            self.text(self._("Planned moving-out date") + ": " + date_line(planned), data=True)
        self.button(
            "edit_route", self._("Change the answer"),
            lambda: review.edit(EditTarget.MOVE_OUT_ROUTE), role="chip",
        )  # fmt: skip

    def _translate_msgid(self, msgid: str, _lang: str) -> str:
        """A finding's English msgid through the app's gettext catalogs (current language)."""
        return self._(msgid)


def _member_of(finding: Finding, filing: Filing | None) -> str:
    """``山田　花子: `` when the finding is about one member (its field ``members[i]…``)."""
    index = member_index(finding)
    if index is None or filing is None:
        return ""
    return f"{filing.members[index].name}: " if index < len(filing.members) else ""


SCREEN = ReviewScreen
