"""The card part: place the card, PIN (last-try confirmation, lock), reading, the data read.

Used for the card holder at the start of every procedure and for each further member who places
their own card on the household list. Outcomes of the card service arrive typed (``outcomes``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.flows.card_service import CardService
from kiosk.flows.nav import Navigator
from kiosk.flows.outcomes import (
    CardLocked,
    CardRecognised,
    CardUnreadable,
    CheckOutcome,
    NotMyNumberCard,
    ReadOutcome,
    ResidentRead,
    WrongPin,
)
from kiosk.flows.steps import CardNotice, CounterReason, Step
from kiosk.flows.visit import PersonDraft, Visit
from kiosk.forms.model import Sex
from kiosk.hardware.card.basic_four import Sex as CardSex

log = logging.getLogger(__name__)

PIN_LENGTH = 4
_CARD_SEX = {CardSex.MALE: Sex.MALE, CardSex.FEMALE: Sex.FEMALE}


@dataclass(slots=True)
class CardState:
    """What the card screens show: a notice, the tries, whether a card job runs."""

    notice: CardNotice = CardNotice.NONE
    tries_left: int | None = None
    busy: bool = False
    #: True while the card steps read a further member (not the card holder)
    for_member: bool = False
    counter_reason: CounterReason = CounterReason.PIN_LOCKED
    #: the confirm-data screen was opened from the household list (returns there)
    checking_data: bool = False
    #: whose card is wanted: the 1st person (the holder) or the n-th on the household list
    person: int = 1


class CardSteps:
    """Reads the holder (→ ``holder_read``) or a further member (→ ``member_read``)."""

    def __init__(self, nav: Navigator, card: CardService, visit: Visit) -> None:
        self._nav = nav
        self.card = card
        self.visit = visit
        self.state = CardState()
        #: the holder's record was read (set by the visit core)
        self.holder_read: Callable[[PersonDraft, bytes], None] = lambda _p, _c: None
        #: a further member's card was read (set by the visit core: the household part)
        self.member_read: Callable[[PersonDraft], None] = lambda _p: None
        #: the holder confirmed the data when it was not opened from the household list
        self.data_confirmed: Callable[[], None] = lambda: None
        #: back to the household list (member card put back, or adding cancelled)
        self.back_to_household: Callable[[], None] = lambda: None
        #: a card of this visit was recognised (its certificate: the pause's "same card")
        self.recognised: Callable[[bytes], None] = lambda _c: None

    def clear(self) -> None:
        """Forget the card screens' state (the visit ended)."""
        self.state = CardState()

    # ------------------------------------------------------------------ placing the card

    def begin(self, *, for_member: bool) -> None:
        """Show "place the card" and check a card already lying there."""
        person = len(self.visit.members) + 1 if for_member else 1
        self.state = CardState(for_member=for_member, person=person)
        self._nav.go(Step.PLACE_CARD)
        if self.card.card_present:
            self.check()

    def cancel_member(self) -> None:
        """Back from placing another member's card."""
        self.card.cancel()
        self.state = CardState()
        self.back_to_household()

    def check(self) -> None:
        """Recognise the card on the reader (no PIN)."""
        if self.state.busy:
            return
        self.state.busy = True
        self.state.notice = CardNotice.NONE
        self._nav.refresh()
        self.card.check(self._checked)

    def _checked(self, outcome: CheckOutcome) -> None:
        self.state.busy = False
        match outcome:
            case CardRecognised(text_pin_tries=tries, certificate=certificate):
                self.recognised(certificate)
                if self.state.for_member and certificate == self.visit.auth_certificate:
                    # the holder put their own card back (for the binding signature): no PIN
                    self.state = CardState()
                    self.back_to_household()
                    return
                self.state.tries_left = tries
                self._route_by_tries(tries)
            case CardLocked():
                self.counter(CounterReason.PIN_LOCKED)
            case NotMyNumberCard():
                self.state.notice = CardNotice.NOT_MY_NUMBER
                self._nav.go(Step.PLACE_CARD)
            case CardUnreadable(code=code):
                log.info("card check failed: %s", code)
                self.state.notice = CardNotice.READ_FAILED
                self._nav.go(Step.PLACE_CARD)

    def _route_by_tries(self, tries: int) -> None:
        if tries <= 0:
            self.counter(CounterReason.PIN_LOCKED)
        elif tries == 1:
            self._nav.go(Step.LAST_TRY)
        else:
            self._nav.go(Step.PIN)

    def counter(self, reason: CounterReason) -> None:
        """A dead end: go to the counter (PIN locked, data wrong)."""
        self.state.counter_reason = reason
        self._nav.go(Step.BLOCKED)

    # ------------------------------------------------------------------ PIN, reading

    def confirm_last_try(self) -> None:
        """The resident accepts that a wrong PIN now blocks the card."""
        self._nav.go(Step.PIN)

    def submit_pin(self, pin: str) -> None:
        """Four digits entered: verify once and read (off the UI thread)."""
        if len(pin) != PIN_LENGTH or not pin.isdigit() or self.state.busy:
            return
        self.state.busy = True
        # never kept: the card signature asks for its own PIN (利用者証明用) at print time
        self._nav.go(Step.READING)
        self.card.read(pin, self._read)

    def _read(self, outcome: ReadOutcome) -> None:
        self.state.busy = False
        match outcome:
            case ResidentRead(record=record):
                info = record.basic_four
                person = PersonDraft(
                    name=info.name,
                    birth_date=info.birth_date,
                    sex=_CARD_SEX.get(info.sex),
                    from_chip=True,
                    card_address=info.address,
                )
                if self.state.for_member:
                    self.state = CardState()
                    self.member_read(person)
                else:
                    self.holder_read(person, record.auth_certificate.der)
            case WrongPin(tries_left=tries):
                self.state.tries_left = tries
                self.state.notice = CardNotice.WRONG_PIN
                self._route_by_tries(tries)
            case CardLocked():
                self.counter(CounterReason.PIN_LOCKED)
            case CardUnreadable():
                self.state.notice = CardNotice.READ_FAILED
                self._nav.go(Step.PLACE_CARD)

    # ------------------------------------------------------------------ the data read

    def show_data(self) -> None:
        """From the household list: the card holder's data as read, in full."""
        self.state.checking_data = True
        self._nav.go(Step.CONFIRM_DATA)

    def back_to_data(self) -> None:
        """Back from the first step after reading: the data read, to confirm."""
        self._nav.go(Step.CONFIRM_DATA)

    def confirm_data(self, correct: bool) -> None:
        """The data read is right (continue) or wrong (go to the counter)."""
        if not correct:
            self.counter(CounterReason.DATA_WRONG)
            return
        if self.state.checking_data:
            self.state.checking_data = False
            self.back_to_household()
            return
        self.data_confirmed()
