"""The card-signature part: the 利用者証明用 PIN (4 digits) asked for itself, or skipped.

The binding signature is made with the card holder's auth key (PIN EF 0018), a different PIN from
the 券面事項入力補助 PIN typed to read the card (0011): it is asked here explicitly, naming whose
card must lie on the reader, with its own tries left and the same last-try confirmation. Nothing is
sent to another member's card, nothing is re-sent after a wrong PIN, and the resident may skip: the
filing is then queued without the card's signature (the clerk sees "本人署名なし").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.flows.card_service import (
    SIGN_LAST_TRY,
    SIGN_OTHER_CARD,
    SIGN_PIN_LOCKED,
    CardService,
)
from kiosk.flows.nav import Navigator
from kiosk.flows.outcomes import (
    CardLocked,
    CardRecognised,
    CheckOutcome,
    Signed,
    SigningSkipped,
    SignOutcome,
    SignWrongPin,
)
from kiosk.flows.steps import SignNotice, Step
from kiosk.flows.visit import Visit
from kiosk.forms.model import Filing

log = logging.getLogger(__name__)

#: the 利用者証明用 PIN is four digits
AUTH_PIN_LENGTH = 4
#: the ``SigningSkipped`` code when the resident chose to print without the card's signature
RESIDENT_SKIPPED = "resident_skipped"


@dataclass(slots=True)
class SignState:
    """What the signature screens show."""

    notice: SignNotice = SignNotice.NONE
    tries_left: int | None = None
    busy: bool = False
    last_try_confirmed: bool = False
    #: the card's signature is required (card procedures): no skip, nothing filed without it
    required: bool = False


class SigningPart:
    """``begin(filing, done)`` → sign_pin (and sign_last_try) → ``done(SignOutcome)``."""

    def __init__(self, nav: Navigator, card: CardService, visit: Visit) -> None:
        self._nav = nav
        self._card = card
        self._visit = visit
        self.state = SignState()
        self._filing: Filing | None = None
        self._done: Callable[[SignOutcome], None] | None = None

    @property
    def holder_name(self) -> str:
        """Whose card signs: the card holder read first."""
        members = self._visit.members
        return members[0].name if members else ""

    @property
    def possible(self) -> bool:
        """The holder's card was read (its auth certificate is known)."""
        return bool(self._visit.auth_certificate)

    def clear(self) -> None:
        """Forget the filing and the screen state (the visit ended)."""
        self.state = SignState()
        self._filing = None
        self._done = None

    def begin(self, filing: Filing, done: Callable[[SignOutcome], None]) -> None:
        """Ask for the PIN (or a skip); ``done`` gets the outcome once."""
        if not self.possible:
            done(SigningSkipped("no_certificate"))
            return
        self._filing, self._done = filing, done
        self.state = SignState(required=filing.kind.is_card_procedure)
        self._nav.go(Step.SIGN_PIN)
        self.check()

    def card_arrived(self) -> None:
        """A card was placed while the signature screen shows."""
        if self._nav.step in (Step.SIGN_PIN, Step.SIGN_LAST_TRY):
            self.check()

    def check(self) -> None:
        """Which card lies on the reader and its 利用者証明用 PIN tries (no PIN sent)."""
        if self.state.busy:
            return
        if not self._card.card_present:
            self.state.notice = SignNotice.NO_CARD
            self._nav.refresh()
            return
        self.state.busy = True
        self.state.notice = SignNotice.CHECKING
        self._nav.refresh()
        self._card.check(self._checked)

    def _checked(self, outcome: CheckOutcome) -> None:
        self.state.busy = False
        match outcome:
            case CardRecognised(auth_pin_tries=tries, certificate=certificate):
                if certificate != self._visit.auth_certificate:
                    self._show(SignNotice.OTHER_CARD)
                    return
                self.state.tries_left = tries
                if tries <= 0:
                    self._show(SignNotice.LOCKED)
                elif tries == 1 and not self.state.last_try_confirmed:
                    self.state.notice = SignNotice.NONE
                    self._nav.go(Step.SIGN_LAST_TRY)
                else:
                    self._show(SignNotice.NONE if self.state.notice is SignNotice.CHECKING
                               else self.state.notice)  # fmt: skip
            case CardLocked():
                self._show(SignNotice.LOCKED)
            case _:
                self._show(SignNotice.OTHER_CARD)

    def _show(self, notice: SignNotice) -> None:
        self.state.notice = notice
        self._nav.go(Step.SIGN_PIN)

    def confirm_last_try(self) -> None:
        """The resident accepts that a wrong PIN now locks the 利用者証明用 PIN."""
        self.state.last_try_confirmed = True
        self._show(SignNotice.NONE)

    @property
    def ready(self) -> bool:
        """The holder's card is on the reader with tries to spend: the keypad is shown."""
        state = self.state
        return (
            not state.busy
            and state.tries_left is not None
            and state.tries_left > 0
            and state.notice in (SignNotice.NONE, SignNotice.WRONG_PIN)
            and (state.tries_left > 1 or state.last_try_confirmed)
        )

    def submit_pin(self, pin: str) -> None:
        """Four digits: ONE VERIFY and the signature (off the UI thread); nothing is kept."""
        filing = self._filing
        if len(pin) != AUTH_PIN_LENGTH or not pin.isdigit() or not self.ready or filing is None:
            return
        from kiosk.forms.codec import canonical_bytes  # not before the first signature (start-up)

        self.state.busy = True
        self._nav.refresh()
        self._card.sign(
            pin,
            canonical_bytes(filing),
            self._visit.auth_certificate,
            self._signed,
            last_try_confirmed=self.state.last_try_confirmed,
        )

    def _signed(self, outcome: SignOutcome) -> None:
        self.state.busy = False
        match outcome:
            case Signed():
                self._finish(outcome)
            case SignWrongPin(tries_left=tries):
                self.state.tries_left = tries
                self.state.last_try_confirmed = False
                self.state.notice = SignNotice.WRONG_PIN
                if tries == 1:
                    self._nav.go(Step.SIGN_LAST_TRY)
                else:
                    self._nav.go(Step.SIGN_PIN)
            case SigningSkipped(code=code):
                log.info("card signature not made: %s", code)
                if code == SIGN_OTHER_CARD:
                    self._show(SignNotice.OTHER_CARD)
                elif code == SIGN_PIN_LOCKED:
                    self.state.tries_left = 0
                    self._show(SignNotice.LOCKED)
                elif code == SIGN_LAST_TRY:
                    self.state.tries_left = 1
                    self._nav.go(Step.SIGN_LAST_TRY)
                else:
                    self._show(SignNotice.FAILED)

    def skip(self) -> None:
        """Print without the card's signature (the clerk sees that); never where it is required."""
        if self.state.busy or self.state.required:
            return
        self._finish(SigningSkipped(RESIDENT_SKIPPED))

    def _finish(self, outcome: SignOutcome) -> None:
        done = self._done
        self._done, self._filing = None, None
        self.state = SignState()
        if done is not None:
            done(outcome)
