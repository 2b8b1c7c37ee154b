"""Card procedures: the My Number card as 印鑑登録証, and 本籍地利用登録 (コンビニ交付 of 戸籍).

Both are a request of the card holder alone, read from the card (券面事項入力補助 PIN as for a
move) and signed by the card's 利用者証明用 key — the PIN asked EXPLICITLY by the signing part,
with its own tries and last-try confirmation, no skip (``SigningPart`` knows by the kind):

* ``seal_card_binding`` (a ward setting, off by default: it needs the ward's 条例): aged ≥ 15
  (else a kind refusal), "is your seal registered in this ward?" (no → register it at the
  counter first) → the request → the card signs → print → outbox;
* ``honseki_convenience_registration``: 日本国籍 confirmed and the 本籍・筆頭者 entered on the
  newcomer part's own steps (another nationality → a kind refusal) → the request → the card
  signs → print → outbox.

The filing names the certificate the card signs with (serial, issuer, notAfter; never a PIN);
the intake takes the same from the verified certificate of the signed envelope.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date
from enum import StrEnum

from kiosk.flows.build import IncompleteVisitError, build_filing
from kiosk.flows.procedures.base import Parts, Procedure
from kiosk.flows.steps import EditTarget, Step
from kiosk.flows.visit import PlaceDraft
from kiosk.forms.model import (
    NO_ADDRESS,
    Address,
    CardCertificate,
    Filer,
    Filing,
    FilingKind,
    SealCard,
    Standing,
)

#: 印鑑登録 is possible from this age (domain-procedures §6.3; the ward setting of the rules)
SEAL_MIN_AGE = 15


class CardNotice(StrEnum):
    """What the card-request screen shows: the seal question, or why the request is not possible."""

    SEAL_QUESTION = "seal_question"
    SEAL_NOT_REGISTERED = "seal_not_registered"
    TOO_YOUNG = "too_young"
    NOT_JAPANESE = "not_japanese"


@dataclass(slots=True)
class CardDraft(PlaceDraft):
    """The answers of a card procedure (no address: only the seal statement)."""

    seal_registered: bool | None = None

    def wipe(self) -> None:
        """Forget everything in place."""
        PlaceDraft.wipe(self)
        self.seal_registered = None


def certificate_summary(der: bytes) -> CardCertificate | None:
    """Serial (lowercase hex), issuer and last valid day of the card's auth certificate."""
    from cryptography import x509  # not before the first card (start-up time, memory)

    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    return CardCertificate(
        serial=format(cert.serial_number, "x"),
        issuer=cert.issuer.rfc4514_string(),
        not_after=cert.not_valid_after_utc.astimezone(UTC).date(),
    )


def age_on(born: date, on: date) -> int:
    """Full years on ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class CardProcedures(Procedure):
    """The two card procedures; which of them a kiosk offers is a ward setting (``offered``)."""

    kinds = (FilingKind.SEAL_CARD_BINDING, FilingKind.HONSEKI_CONVENIENCE_REGISTRATION)

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts)
        self._draft = CardDraft()
        self.notice = CardNotice.SEAL_QUESTION

    @property
    def draft(self) -> CardDraft:
        """The seal statement (the holder and the 本籍 live in the visit)."""
        return self._draft

    @property
    def review_step(self) -> Step:
        """The request is reviewed on its own screen (no address, no household)."""
        return Step.CARD_REVIEW

    def begin(self, kind: FilingKind) -> None:
        """A new visit for ``kind``."""
        super().begin(kind)
        self.notice = CardNotice.SEAL_QUESTION

    def wipe(self) -> None:
        """Forget the draft (the visit ended)."""
        super().wipe()
        self.notice = CardNotice.SEAL_QUESTION

    # ------------------------------------------------------------------ steps

    def start(self) -> None:
        """After the card was read: the seal question, or nationality and 本籍."""
        if self.kind is FilingKind.SEAL_CARD_BINDING:
            holder = self.parts.visit.members[0] if self.parts.visit.members else None
            born = holder.birth_date if holder is not None else None
            if born is not None and age_on(born, self.parts.today()) < SEAL_MIN_AGE:
                self._show(CardNotice.TOO_YOUNG)
            else:
                self._show(CardNotice.SEAL_QUESTION)
        else:
            self.parts.newcomer.begin(
                self._to_review, self.parts.card.back_to_data, japanese_only=self._not_japanese
            )

    def _show(self, notice: CardNotice) -> None:
        self.notice = notice
        if self.parts.nav is not None:
            self.parts.nav.go(Step.CARD_REQUEST)

    def _not_japanese(self) -> None:
        self._show(CardNotice.NOT_JAPANESE)

    def answer_seal(self, registered: bool) -> None:
        """The seal question: yes → the request; no → register the seal at the counter first."""
        self.draft.seal_registered = registered
        if registered:
            self._to_review()
        else:
            self._show(CardNotice.SEAL_NOT_REGISTERED)

    def back(self) -> None:
        """From the card-request screen: the data read (or the nationality question again)."""
        if self.kind is FilingKind.HONSEKI_CONVENIENCE_REGISTRATION:
            self.parts.newcomer.reask()
        else:
            self.parts.card.back_to_data()

    def _to_review(self) -> None:
        self.parts.review.begin(self)

    def edit(self, target: EditTarget) -> None:
        """From the review: the seal question, or the nationality / 本籍 again."""
        if (
            target is EditTarget.NEWCOMER
            and self.kind is FilingKind.HONSEKI_CONVENIENCE_REGISTRATION
        ):
            self.start()
        elif self.kind is FilingKind.SEAL_CARD_BINDING:
            self._show(CardNotice.SEAL_QUESTION)

    def new_address(self) -> Address:
        """Card procedures declare no address."""
        return NO_ADDRESS

    # ------------------------------------------------------------------ the filing

    def draft_filing(self) -> Filing | None:
        """The request as it stands (None while the holder or the certificate is missing)."""
        parts = self.parts
        visit = parts.visit
        certificate = certificate_summary(visit.auth_certificate)
        if certificate is None or len(visit.members) != 1:
            return None
        try:
            built = build_filing(
                visit, self.draft, address=NO_ADDRESS, ward_code=parts.ward_code(),
                today=parts.today(),
            )  # fmt: skip
        except (IncompleteVisitError, ValueError):
            return None
        person = visit.members[0]
        holder = dataclasses.replace(
            built.members[0],
            honseki=person.honseki
            if self.kind is FilingKind.HONSEKI_CONVENIENCE_REGISTRATION
            else None,
            foreign=person.foreign,
        )
        seal = None
        if self.kind is FilingKind.SEAL_CARD_BINDING:
            seal = SealCard(seal_registered=bool(self.draft.seal_registered))
        return dataclasses.replace(
            built,
            moved_on=built.notified_on,
            filer=Filer(
                name=holder.name,
                standing=Standing.SELF,
                furigana=holder.furigana,
                member_index=0,
                from_chip=holder.from_chip,
            ),  # fmt: skip
            members=(holder,),
            related=(),
            seal_card=seal,
            card_certificate=certificate,
        )
