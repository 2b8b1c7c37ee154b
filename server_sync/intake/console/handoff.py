"""The 受付票 / 引継票 of one filing and the daily summary (views only: no I/O, no HTTP).

The 受付票 is what the counter hands on with the resident: who moved, each person's card work
and the PIN they will need, the related procedures grouped by the section that takes them over
(窓口で確認 highlighted), and the language to book an interpreter for. The summary counts one
Japan-time day: filings per kind, kiosk and hour, decisions, and the median time from the paper
being scanned to the decision.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kiosk.forms.ids import receipt_number, receipt_number_display
from kiosk.forms.model import Answer, Filing, FilingKind, Member, RelatedProcedure
from server_sync.intake.kihon.era import wareki
from server_sync.intake.records import AuditEntry, FilingStatus
from server_sync.intake.records import Filing as StoredFiling
from server_sync.intake.wording import (
    ANSWER_JA,
    JST,
    LIST_SEPARATOR,
    SECTION_OF,
    SECTION_ORDER,
    interpreter_language,
    language_ja,
    parse_utc,
    pins_needed,
    task_labels,
)

NO_VALUE = "—"
HOURS = range(24)
SECONDS_PER_MINUTE = 60
STATUS_JA = {
    FilingStatus.RECEIVED.value: "未処理（受付・保留）",
    FilingStatus.ACCEPTED.value: "受理",
    FilingStatus.REJECTED.value: "却下",
}
SCANNED_ACTION = "filing.scanned"
DECISION_ACTIONS = frozenset({"filing.accepted", "filing.rejected"})

#: who a related procedure may concern, by age on the 届出日 (a hint for the section, not a rule)
AGE_HINTS: dict[RelatedProcedure, tuple[int, int]] = {
    RelatedProcedure.SCHOOL_ENROLMENT: (5, 15),
    RelatedProcedure.CHILD_ALLOWANCE: (0, 18),
    RelatedProcedure.NATIONAL_PENSION: (20, 59),
    RelatedProcedure.LONG_TERM_CARE: (65, 200),
    RelatedProcedure.LATE_ELDERLY_MEDICAL: (75, 200),
}


def age_on(birth: date, day: date) -> int:
    """Full years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One mover on the 受付票."""

    no: int
    name: str
    furigana: str
    birth: str
    age: int
    sex: str
    relationship: str
    tasks: tuple[str, ...]
    pins: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProcedureRow:
    """One related procedure as answered, with the movers it may concern."""

    label: str
    answer: str
    confirm: bool  # 窓口で確認: the section must ask
    concerns: str


@dataclass(frozen=True, slots=True)
class Section:
    """The procedures one section (国保, 年金 …) takes over."""

    name: str
    procedures: tuple[ProcedureRow, ...]

    @property
    def confirm(self) -> bool:
        return any(p.confirm for p in self.procedures)


@dataclass(frozen=True, slots=True)
class SlipView:
    """Everything the printed 受付票 / 引継票 shows."""

    receipt_no: str
    filing_id: str
    kiosk_id: str
    kind: str
    notified_on: str
    moved_label: str
    moved_on: str
    address_label: str
    new_address: str
    old_address: str
    head: str
    other_heads: tuple[tuple[str, str], ...]
    filer: str
    phone: str
    language: str
    interpreter: str
    status: str
    received_at: str
    people: tuple[PersonRow, ...]
    sections: tuple[Section, ...]
    confirm_count: int
    card_people: int
    #: a card procedure: a request (申請日, the card's address, 申請者), no move
    card_request: bool = False


def _jst_text(stamp: str | None) -> str:
    moment = parse_utc(stamp) if stamp else None
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M") if moment else NO_VALUE


def _date_text(day: date) -> str:
    return f"{wareki(day)}（{day.isoformat()}）"


def _person(no: int, member: Member, on: date) -> PersonRow:
    return PersonRow(
        no=no,
        name=member.name,
        furigana=member.furigana,
        birth=_date_text(member.birth_date),
        age=age_on(member.birth_date, on),
        sex=member.sex.label_ja,
        relationship=member.relationship.display,
        tasks=tuple(task_labels(member.card_tasks)),
        pins=tuple(pins_needed(member.card_tasks)),
    )


def _concerns(procedure: RelatedProcedure, people: tuple[PersonRow, ...]) -> str:
    bounds = AGE_HINTS.get(procedure)
    if bounds is None:
        return ""
    low, high = bounds
    names = [f"{p.name}（{p.age}歳）" for p in people if low <= p.age <= high]
    return LIST_SEPARATOR.join(names)


def sections_of(filing: Filing, people: tuple[PersonRow, ...]) -> tuple[Section, ...]:
    """Related procedures grouped by the section that takes them over (fixed section order)."""
    grouped: dict[str, list[ProcedureRow]] = {}
    for answer in filing.related:
        grouped.setdefault(SECTION_OF[answer.procedure], []).append(
            ProcedureRow(
                label=answer.procedure.label_ja,
                answer=ANSWER_JA[answer.answer],
                confirm=answer.answer is Answer.UNSURE,
                concerns=_concerns(answer.procedure, people),
            )
        )
    return tuple(Section(name, tuple(grouped[name])) for name in SECTION_ORDER if name in grouped)


def slip_view(filing: Filing, stored: StoredFiling | None, kiosk_id: str) -> SlipView:
    """The 受付票 of a parsed filing (with its stored row when the intake has one)."""
    people = tuple(_person(i, m, filing.notified_on) for i, m in enumerate(filing.members, 1))
    sections = sections_of(filing, people)
    move_out = filing.kind is FilingKind.MOVE_OUT
    household = filing.household
    heads = [
        ("既存世帯主", household.existing_head.name if household.existing_head else ""),
        ("旧世帯主", household.previous_head.name if household.previous_head else ""),
        (
            "残る世帯の世帯主",
            household.origin.remaining_head.name
            if household.origin and household.origin.remaining_head
            else "",
        ),
    ]
    return SlipView(
        receipt_no=receipt_number_display(receipt_number(filing.id)),
        filing_id=filing.id,
        kiosk_id=kiosk_id or NO_VALUE,
        kind=filing.kind.label_ja,
        notified_on=_date_text(filing.notified_on),
        moved_label="転出予定日" if move_out else "異動日",
        moved_on=_date_text(filing.moved_on),
        address_label="転出先" if move_out else "新住所",
        new_address=filing.new_address.display() or NO_VALUE,
        old_address=filing.old_address.display() if filing.old_address else NO_VALUE,
        head=filing.head_name or NO_VALUE,
        other_heads=tuple((label, name) for label, name in heads if name),
        filer=f"{filing.filer.name}（{filing.filer.standing.label_ja}）",
        phone=filing.phone or NO_VALUE,
        language=language_ja(filing.language),
        interpreter=interpreter_language(filing.language),
        status=STATUS_JA.get(stored.status.value, NO_VALUE) if stored else "未登録（紙のみ）",
        received_at=_jst_text(stored.received_at) if stored else NO_VALUE,
        people=people,
        sections=sections,
        confirm_count=sum(1 for s in sections for p in s.procedures if p.confirm),
        card_people=sum(1 for p in people if p.tasks),
        card_request=filing.kind.is_card_procedure,
    )


# --- the daily summary ----------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Japan-time day as [start, end) aware times."""
    start = datetime.combine(day, time(0), tzinfo=JST)
    return start, start + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SummaryView:
    """One JST day at the counter."""

    day: str
    previous_day: str
    next_day: str
    total: int
    by_kind: tuple[tuple[str, int], ...]
    by_kiosk: tuple[tuple[str, int], ...]
    by_hour: tuple[tuple[str, int], ...]
    by_status: tuple[tuple[str, int], ...]
    decided: int
    median_minutes: str
    max_hour: int


def _kind_label(stored: StoredFiling, kinds: dict[tuple[str, str], str]) -> str:
    return kinds.get((stored.kiosk_id or "", stored.filing_id), "（解読不可）")


def median_scan_to_decision(entries: list[AuditEntry]) -> float | None:
    """Median seconds from a filing's last scan to its decision (decisions of the given rows)."""
    last_scan: dict[str, datetime] = {}
    waits: list[float] = []
    for entry in sorted(entries, key=lambda e: e.at):
        moment = parse_utc(entry.at)
        if moment is None:
            continue
        if entry.action == SCANNED_ACTION:
            last_scan[entry.subject_id] = moment
        elif entry.action in DECISION_ACTIONS and entry.subject_id in last_scan:
            waits.append((moment - last_scan.pop(entry.subject_id)).total_seconds())
    return statistics.median(waits) if waits else None


def summary_view(
    day: date,
    filings: list[StoredFiling],
    kinds: dict[tuple[str, str], str],
    entries: list[AuditEntry],
) -> SummaryView:
    """Counts of the filings received on ``day`` (JST) and the day's scan → decision median."""
    hours: Counter[int] = Counter()
    for stored in filings:
        moment = parse_utc(stored.received_at)
        if moment is not None:
            hours[moment.astimezone(JST).hour] += 1
    statuses = Counter(stored.status.value for stored in filings)
    median = median_scan_to_decision(entries)
    decided = sum(1 for e in entries if e.action in DECISION_ACTIONS)
    return SummaryView(
        day=day.isoformat(),
        previous_day=(day - timedelta(days=1)).isoformat(),
        next_day=(day + timedelta(days=1)).isoformat(),
        total=len(filings),
        by_kind=tuple(Counter(_kind_label(f, kinds) for f in filings).most_common()),
        by_kiosk=tuple(sorted(Counter(f.kiosk_id or NO_VALUE for f in filings).items())),
        by_hour=tuple((f"{h:02d}時", hours[h]) for h in HOURS if hours[h]),
        by_status=tuple((STATUS_JA[s.value], statuses[s.value]) for s in FilingStatus),
        decided=decided,
        median_minutes=NO_VALUE if median is None else f"{median / SECONDS_PER_MINUTE:.1f}分",
        max_hour=max(hours.values(), default=0),
    )
