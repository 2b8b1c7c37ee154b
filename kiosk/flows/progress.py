"""Where the resident is: the phase of a step and "step n of total" for the visit's procedure.

Pure logic (no Kivy): the screens' step indicator reads ``VisitFlow.progress``; the card presence
uses ``phase_of`` too (a card taken off during the household phase is a card swap, not a pause).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.flows.date_entry import DatePurpose
from kiosk.flows.steps import Phase, Step, TextPurpose
from kiosk.forms.model import FilingKind

#: the phase of each step that always belongs to one (shared steps are resolved by purpose)
STEP_PHASES: dict[Step, Phase] = {
    Step.PLACE_CARD: Phase.CARD,
    Step.LAST_TRY: Phase.CARD,
    Step.PIN: Phase.CARD,
    Step.READING: Phase.CARD,
    Step.BLOCKED: Phase.CARD,
    Step.CONFIRM_DATA: Phase.CARD,
    Step.ADDRESS: Phase.PLACE,
    Step.MOVE_OUT_ROUTE: Phase.PLACE,
    Step.MOVE_ABROAD: Phase.PLACE,  # 転出: in Japan or abroad, the country, one year or more
    Step.HOUSEHOLD: Phase.HOUSEHOLD,
    Step.MEMBER_DETAILS: Phase.HOUSEHOLD,
    Step.RELATIONSHIP: Phase.HOUSEHOLD,
    Step.FILER: Phase.HOUSEHOLD,
    Step.ORIGIN: Phase.HOUSEHOLD,
    Step.CHANGE_KIND: Phase.HOUSEHOLD,
    Step.PREVIOUS_HEAD: Phase.HOUSEHOLD,
    Step.NATIONALITY: Phase.NEWCOMER,
    Step.HONSEKI: Phase.NEWCOMER,
    Step.FOREIGN: Phase.NEWCOMER,
    Step.REVIEW: Phase.REVIEW,
    Step.CARD_REQUEST: Phase.HOUSEHOLD,  # card procedures: the seal question (or why not)
    Step.CARD_REVIEW: Phase.REVIEW,
    Step.RELATED: Phase.REVIEW,
    Step.SIGN_PIN: Phase.PAPER,
    Step.SIGN_LAST_TRY: Phase.PAPER,
    Step.PRINTING: Phase.PAPER,
    Step.PRINT_PROBLEM: Phase.PAPER,
    Step.DONE: Phase.PAPER,
}
#: the keyboard's purposes by phase (the staff PIN belongs to no visit)
TEXT_PHASES: dict[TextPurpose, Phase] = {
    TextPurpose.KATAGAKI: Phase.PLACE,
    TextPurpose.DESTINATION: Phase.PLACE,
    TextPurpose.MEMBER_NAME: Phase.HOUSEHOLD,
    TextPurpose.MEMBER_FURIGANA: Phase.HOUSEHOLD,
    TextPurpose.EXISTING_HEAD: Phase.HOUSEHOLD,
    TextPurpose.FILER_NAME: Phase.HOUSEHOLD,
    TextPurpose.FILER_FURIGANA: Phase.HOUSEHOLD,
    TextPurpose.FILER_ADDRESS: Phase.HOUSEHOLD,
    TextPurpose.FILER_PHONE: Phase.HOUSEHOLD,
    TextPurpose.REMAINING_HEAD: Phase.HOUSEHOLD,
    TextPurpose.PREVIOUS_HEAD: Phase.HOUSEHOLD,
    TextPurpose.HONSEKI: Phase.NEWCOMER,
    TextPurpose.HEAD_OF_REGISTER: Phase.NEWCOMER,
    TextPurpose.NATIONALITY: Phase.NEWCOMER,
    TextPurpose.RESIDENCE_CARD: Phase.NEWCOMER,
    TextPurpose.RESIDENCE_STATUS: Phase.NEWCOMER,
    TextPurpose.ALIAS: Phase.NEWCOMER,
}
DATE_PHASES: dict[DatePurpose, Phase] = {
    DatePurpose.MOVED_ON: Phase.PLACE,
    DatePurpose.MOVE_OUT_PLANNED: Phase.PLACE,
    DatePurpose.PLANNED_MOVE_OUT_ON: Phase.PLACE,
    DatePurpose.PERIOD_ENDS_ON: Phase.NEWCOMER,
    DatePurpose.BIRTH: Phase.HOUSEHOLD,
    DatePurpose.POWER_OF_ATTORNEY: Phase.HOUSEHOLD,  # the 届出人 (a proxy's 委任状)
}
_PLACE_VISIT = (Phase.CARD, Phase.PLACE, Phase.HOUSEHOLD, Phase.REVIEW, Phase.PAPER)
#: the phases each procedure goes through, in order
PHASES: dict[FilingKind, tuple[Phase, ...]] = {
    FilingKind.MOVE_IN: (
        Phase.CARD,
        Phase.PLACE,
        Phase.HOUSEHOLD,
        Phase.NEWCOMER,
        Phase.REVIEW,
        Phase.PAPER,
    ),
    FilingKind.MOVE_IN_FROM_ABROAD: _PLACE_VISIT,
    FilingKind.MOVE_WITHIN: _PLACE_VISIT,
    FilingKind.MOVE_OUT: _PLACE_VISIT,
    FilingKind.HONSEKI_CONVENIENCE_REGISTRATION: (
        Phase.CARD,
        Phase.NEWCOMER,
        Phase.REVIEW,
        Phase.PAPER,
    ),
}
#: a procedure not listed (世帯変更: no new address)
NO_PLACE = (Phase.CARD, Phase.HOUSEHOLD, Phase.REVIEW, Phase.PAPER)


@dataclass(frozen=True, slots=True)
class Progress:
    """Step ``number`` (from 1) of ``total``, and the phase it stands for."""

    number: int
    total: int
    phase: Phase


def phase_of(
    step: Step,
    *,
    text: TextPurpose | None = None,
    date: DatePurpose | None = None,
    for_member: bool = False,
) -> Phase | None:
    """The phase of ``step`` (keyboard and date pad by what they ask); None outside a visit."""
    if step is Step.TEXT_ENTRY:
        return TEXT_PHASES.get(text) if text is not None else None
    if step is Step.DATE_ENTRY:
        return DATE_PHASES.get(date) if date is not None else None
    phase = STEP_PHASES.get(step)
    if phase is Phase.CARD and for_member:
        return Phase.HOUSEHOLD  # a further member's card is read from the household list
    return phase


def progress(kind: FilingKind | None, phase: Phase | None) -> Progress | None:
    """Where ``phase`` stands in the procedure ``kind``; None before a procedure is chosen."""
    if kind is None or phase is None:
        return None
    phases = PHASES.get(kind, NO_PLACE)
    if phase not in phases:
        # a phase the procedure does not count (a date in 世帯変更): the stage it happens in
        order = list(Phase)
        earlier = [p for p in phases if order.index(p) <= order.index(phase)]
        phase = earlier[-1] if earlier else phases[0]
    return Progress(phases.index(phase) + 1, len(phases), phase)
