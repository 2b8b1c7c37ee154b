"""Hypothesis strategies for filings (valid model objects, not necessarily valid filings)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from kiosk.forms.errors import RelationshipError
from kiosk.forms.ids import uuid7
from kiosk.forms.model import (
    NO_ADDRESS,
    Address,
    AddressScheme,
    Answer,
    CardTask,
    Filer,
    Filing,
    FilingKind,
    ForeignCategory,
    ForeignResident,
    Honseki,
    Household,
    HouseholdMode,
    Member,
    MoveOutRoute,
    OriginHousehold,
    PersonName,
    RelatedAnswer,
    RelatedProcedure,
    Sex,
    Standing,
)
from kiosk.forms.relationship import (
    CHAIN_JOINER,
    COHABITANT,
    HEAD,
    MAX_LINKS,
    OTHER_RELATIVE,
    Link,
    Relationship,
    RelationshipKind,
)

# Text: printable, including CJK, surrogates-free astral chars like 𠮷, no control characters.
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x7f"),
    max_size=30,
)
name_text = st.sampled_from(["山田 太郎", "𠮷田 智子", "髙橋 修", "NGUYEN VAN AN", "李 明"]) | text

link_chains = st.lists(st.sampled_from(list(Link)), min_size=1, max_size=MAX_LINKS)


def _try_chain(links: list[Link]) -> Relationship | None:
    try:
        return Relationship(RelationshipKind.CHAIN, tuple(links))
    except RelationshipError:
        return None


relationships = st.one_of(
    st.just(HEAD),
    st.just(OTHER_RELATIVE),
    st.just(COHABITANT),
    link_chains.map(_try_chain).filter(lambda r: r is not None),  # type: ignore[arg-type]
)

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
aware_datetimes = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)

addresses = st.builds(
    Address,
    scheme=st.sampled_from(list(AddressScheme)),
    prefecture=text,
    city=text,
    lg_code=st.from_regex(r"\A([0-9]{6})?\Z"),
    machiaza_id=st.from_regex(r"\A([0-9]{7})?\Z"),
    town=text,
    block=st.from_regex(r"\A[0-9]{0,3}\Z"),
    residence=st.from_regex(r"\A([0-9]{1,3}(-[0-9]{1,2})?)?\Z"),
    chiban=st.from_regex(r"\A([0-9]{1,4}(-[0-9]{1,3}){0,2})?\Z"),
    katagaki=text,
    katagaki_listed=st.booleans(),
    postal_code=st.from_regex(r"\A([0-9]{7})?\Z"),
    free_text=text,
    country=text,
)

honsekis = st.builds(Honseki, address=text, head_of_register=text)
foreigners = st.builds(
    ForeignResident,
    nationality=text,
    category=st.sampled_from(list(ForeignCategory)),
    residence_card_number=st.from_regex(r"\A[A-Z0-9]{0,12}\Z"),
    status=text,
    period_ends_on=st.none() | st.dates(),
    alias=text,
)

members = st.builds(
    Member,
    honseki=st.none() | honsekis,
    foreign=st.none() | foreigners,
    name=name_text,
    furigana=text,
    birth_date=dates,
    sex=st.sampled_from(list(Sex)),
    relationship=relationships,
    from_chip=st.booleans(),
    card_tasks=st.frozensets(st.sampled_from(list(CardTask))),
)

persons = st.builds(PersonName, name=name_text, furigana=text)


@st.composite
def filings(draw: st.DrawFn, max_members: int = 8) -> Filing:
    """An arbitrary (model-valid) filing."""
    created = draw(aware_datetimes)
    ms = tuple(draw(st.lists(members, min_size=0, max_size=max_members)))
    index = draw(st.none() | st.integers(0, 39))
    return Filing(
        id=str(uuid7(int(created.timestamp() * 1000))),
        ward_code=draw(st.from_regex(r"\A[0-9]{6}\Z")),
        kind=draw(st.sampled_from(list(FilingKind))),
        notified_on=draw(dates),
        moved_on=draw(dates),
        filer=Filer(
            name=draw(name_text),
            standing=draw(st.sampled_from(list(Standing))),
            furigana=draw(text),
            member_index=index,
            address=draw(st.none() | addresses),
            from_chip=draw(st.booleans()),
            phone=draw(st.from_regex(r"\A[0-9+-]{0,20}\Z")),
        ),
        old_address=draw(st.none() | addresses),
        new_address=draw(addresses | st.just(NO_ADDRESS)),
        household=Household(
            mode=draw(st.sampled_from(list(HouseholdMode))),
            existing_head=draw(st.none() | persons),
            previous_head=draw(st.none() | persons),
            origin=draw(
                st.none()
                | st.builds(
                    OriginHousehold,
                    remaining_head=st.none() | persons,
                    staying=st.integers(0, 40),
                )
            ),
        ),
        move_out_route=draw(st.none() | st.sampled_from(list(MoveOutRoute))),
        planned_move_out_on=draw(st.none() | dates),
        members=ms,
        related=tuple(
            RelatedAnswer(p, draw(st.sampled_from(list(Answer))))
            for p in RelatedProcedure
            if draw(st.booleans())
        ),
        phone=draw(st.from_regex(r"\A[0-9+-]{0,20}\Z")),
        language=draw(st.sampled_from(["ja", "en", "vi", "zh-Hans", "ne", "ja-x-easy"])),
        created_at=created + timedelta(microseconds=draw(st.integers(0, 999_999))),
    )


def display_of(links: list[Link]) -> str:
    """The display string of a chain."""
    return CHAIN_JOINER.join(links)
