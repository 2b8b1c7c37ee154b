"""From the visit to a ``Filing`` (every 続柄 is declared by the resident, never suggested)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from kiosk.flows.visit import PersonDraft, PlaceDraft, Visit
from kiosk.forms.ids import new_filing_id
from kiosk.forms.model import (
    Address,
    AddressScheme,
    Filer,
    Filing,
    Household,
    HouseholdMode,
    Member,
    PersonName,
    RelatedAnswer,
    Standing,
)
from kiosk.forms.relationship import HEAD
from kiosk.i18n.languages import language


class IncompleteVisitError(ValueError):
    """The visit lacks something the filing needs (a bug in the flow, not user input)."""

    code = "visit_incomplete"


def apply_head(visit: Visit, index: int) -> None:
    """Make member ``index`` the 世帯主; every other 続柄 is cleared (declared, never inferred)."""
    visit.head_index = index
    for i, member in enumerate(visit.members):
        member.relationship = HEAD if i == index else None


def _member(p: PersonDraft) -> Member:
    if p.birth_date is None or p.sex is None or p.relationship is None:
        raise IncompleteVisitError("member incomplete")
    return Member(
        name=p.name,
        furigana=p.furigana,
        birth_date=p.birth_date,
        sex=p.sex,
        relationship=p.relationship,
        from_chip=p.from_chip,
    )


def _standing(visit: Visit) -> Standing:
    if visit.household_mode is HouseholdMode.WHOLE and visit.head_index == 0:
        return Standing.HEAD
    return Standing.SELF


def new_address(draft: PlaceDraft) -> Address:
    """The address picked on the master, with the 方書 typed for it."""
    if draft.new_address is None:
        raise IncompleteVisitError("no new address")
    return dataclasses.replace(draft.new_address, katagaki=draft.katagaki)


def free_text_address(text: str) -> Address:
    """An address outside the ward's master (転出先), as typed."""
    return Address(AddressScheme.FREE_TEXT, free_text=text)


def build_filing(
    visit: Visit, draft: PlaceDraft, *, address: Address, ward_code: str, today: date
) -> Filing:
    """The filing for the visit (id fixed at the first build; ``created_at`` fresh each time)."""
    if visit.kind is None or not visit.members:
        raise IncompleteVisitError("no procedure or no members")
    if not visit.filing_id:
        visit.filing_id = new_filing_id()
    first = visit.members[0]
    household = Household(
        mode=visit.household_mode,
        existing_head=PersonName(visit.existing_head)
        if visit.household_mode is HouseholdMode.JOIN
        else None,
    )
    return Filing(
        id=visit.filing_id,
        ward_code=ward_code,
        kind=visit.kind,
        notified_on=today,
        moved_on=draft.moved_on or today,
        filer=Filer(
            name=first.name,
            standing=_standing(visit),
            furigana=first.furigana,
            member_index=0,
            from_chip=first.from_chip,
        ),
        new_address=address,
        members=tuple(_member(m) for m in visit.members),
        created_at=datetime.now(UTC),
        old_address=free_text_address(visit.old_address) if visit.old_address else None,
        household=household,
        related=tuple(RelatedAnswer(p, a) for p, a in draft.answers.items()),
        language=language(visit.language).tag,
    )
