"""The review part: the whole filing on one screen, its findings, the related questions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from kiosk.flows.date_entry import DateEntry, DatePurpose
from kiosk.flows.nav import Navigator
from kiosk.flows.steps import EditTarget, Step
from kiosk.flows.visit import PlaceDraft
from kiosk.forms.master import AddressMaster
from kiosk.forms.model import Answer, Filing, FilingKind, RelatedProcedure
from kiosk.forms.related import suggested_procedures
from kiosk.forms.validation import Finding, Severity, validate

#: the review's error code when the visit cannot make a filing yet
VISIT_INCOMPLETE = "visit_incomplete"


class Reviewable(Protocol):
    """What a procedure offers the review: its draft, its filing, its edit targets."""

    @property
    def draft(self) -> PlaceDraft:
        """Where, when and the related answers."""
        ...

    def draft_filing(self) -> Filing | None:
        """The filing as it stands (None while something needed is missing)."""
        ...

    def edit(self, target: EditTarget) -> None:
        """Open the part of the procedure for ``target``; it comes back to the review."""
        ...


@dataclass(slots=True)
class ReviewState:
    """The filing on review and what blocks printing it."""

    filing: Filing | None = None
    errors: list[str] = field(default_factory=list)
    #: every finding (errors first, then warnings: what to bring, card deadlines), translated
    #: on the review; only the errors block printing
    findings: list[Finding] = field(default_factory=list)
    questions: list[RelatedProcedure] = field(default_factory=list)


class ReviewPart:
    """Review and the related-procedure screen; ``print`` hands the filing to printing."""

    def __init__(
        self,
        nav: Navigator,
        master: AddressMaster,
        today: Callable[[], date],
        print_filing: Callable[..., None],
        dates: DateEntry,
    ) -> None:
        self._nav = nav
        self._master = master
        self._today = today
        self._print = print_filing
        self._dates = dates
        self.source: Reviewable | None = None
        self.state = ReviewState()

    @property
    def answers(self) -> dict[RelatedProcedure, Answer]:
        """The related-procedure answers of the procedure on review."""
        return self.source.draft.answers if self.source is not None else {}

    def clear(self) -> None:
        """Forget the filing and findings (the visit ended)."""
        self.source = None
        self.state = ReviewState()

    def begin(self, source: Reviewable) -> None:
        """First arrival from the procedure: the related questions preselected, then review."""
        self.source = source
        # the related questions show on the review with "not sure" preselected (one touch to
        # change there, or all of them on the related screen): no extra "next" on the way
        self._prepare_questions()
        self.open()

    def open(self) -> None:
        """Everything on one screen; validation errors shown there."""
        source = self.source
        filing = source.draft_filing() if source is not None else None
        findings: list[Finding] = []
        errors: list[str] = []
        if filing is None:
            errors.append(VISIT_INCOMPLETE)
        else:
            every = validate(filing, self._master, today=self._today())
            findings = [f for f in every if f.severity is Severity.ERROR]
            findings += [f for f in every if f.severity is not Severity.ERROR]
            errors = [f.code for f in findings if f.severity is Severity.ERROR]
        self.state.filing, self.state.errors, self.state.findings = filing, errors, findings
        # a procedure may review on its own screen (the card procedures' request)
        self._nav.go(getattr(source, "review_step", Step.REVIEW))

    def edit(self, target: EditTarget) -> None:
        """Jump from review to a part of the visit; it comes back to review afterwards."""
        if target is EditTarget.RELATED:
            self.open_related()
        elif self.source is not None:
            self.source.edit(target)

    def edit_moved_on(self) -> None:
        """The date on the keypad (和暦・西暦 with weekday), then back to the review."""
        source = self.source
        if source is None:
            return
        draft = source.draft
        kind = self.state.filing.kind if self.state.filing is not None else None
        purpose = (
            DatePurpose.MOVE_OUT_PLANNED if kind is FilingKind.MOVE_OUT else DatePurpose.MOVED_ON
        )
        shown = self.state.filing.moved_on if self.state.filing is not None else None

        def done(value: date) -> None:
            draft.moved_on = value
            self.open()

        self._dates.ask(purpose, draft.moved_on or shown, done, self.open)

    def print(self, *, sign: bool = False) -> None:
        """Print the reviewed filing (only without errors); ``sign``: ask the card's PIN first."""
        if self.state.filing is not None and not self.state.errors:
            self._print(self.state.filing, sign=sign)

    # ------------------------------------------------------------------ related procedures

    def _prepare_questions(self) -> None:
        if self.source is None:
            return
        filing = self.source.draft_filing()
        questions = suggested_procedures(filing, today=self._today()) if filing else []
        self.state.questions = questions
        answers = self.source.draft.answers
        for procedure in list(answers):
            if procedure not in questions:
                del answers[procedure]
        for procedure in questions:
            answers.setdefault(procedure, Answer.UNSURE)

    def open_related(self) -> None:
        """Ask about the procedures that fit this household."""
        self._prepare_questions()
        self._nav.go(Step.RELATED)

    def answer(self, procedure: RelatedProcedure, answer: Answer) -> None:
        """Record one answer."""
        if self.source is not None:
            self.source.draft.answers[procedure] = answer
        self._nav.refresh()

    def related_done(self) -> None:
        """→ review."""
        self.open()
