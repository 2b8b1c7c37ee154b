"""From the visit to a ``Filing``, and the touch-saving defaults (suggested 続柄)."""

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
    Sex,
    Standing,
)
from kiosk.forms.related import age_on
from kiosk.forms.relationship import HEAD, Link, Relationship, build_chain
from kiosk.i18n.languages import language

#: an age gap this large (years) suggests parent and child rather than spouses
GENERATION_GAP_YEARS = 16


class IncompleteVisitError(ValueError):
    """The visit lacks something the filing needs (a bug in the flow, not user input)."""

    code = "visit_incomplete"


def suggest_relationship(head: PersonDraft, other: PersonDraft) -> Relationship | None:
    """A likely 続柄 of ``other`` to ``head`` from birth dates and sexes, or None."""
    if head.birth_date is None or other.birth_date is None or other.sex is None:
        return None
    gap = age_on(head.birth_date, date.today()) - age_on(other.birth_date, date.today())
    if gap >= GENERATION_GAP_YEARS:
        return build_chain([Link.CHILD])
    if -gap >= GENERATION_GAP_YEARS:
        return build_chain([Link.FATHER if other.sex is Sex.MALE else Link.MOTHER])
    if head.sex is not None and head.sex is not other.sex:
        return build_chain([Link.HUSBAND if other.sex is Sex.MALE else Link.WIFE])
    return None


def apply_head(visit: Visit, index: int) -> None:
    """Make member ``index`` the 世帯主 and suggest everyone else's 続柄 afresh."""
    visit.head_index = index
    head = visit.members[index]
    for i, member in enumerate(visit.members):
        member.relationship = HEAD if i == index else suggest_relationship(head, member)


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
