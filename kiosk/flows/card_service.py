"""Card work on ONE worker thread: presence polling, recognise + tries, read, sign."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.flows.readers import CardReader
from kiosk.flows.worker import Done, Post, Worker
from kiosk.hardware.card.errors import (
    CardError,
    NotMyNumberCardError,
    PinBlockedError,
    ReaderUnavailableError,
    WrongPinError,
)

if TYPE_CHECKING:  # the card session (and cryptography) load on the worker at the first card
    # the outcomes are imported by the first job (start-up time, issue 14)
    from kiosk.flows.outcomes import CheckOutcome, ReadOutcome, SignOutcome
    from kiosk.hardware.card.my_number_card import MyNumberCard
    from kiosk.hardware.card.transport import CardTransport
    from kiosk.hardware.card.trust import TrustStore

log = logging.getLogger(__name__)

PresenceListener = Callable[[bool], None]
ReaderListener = Callable[[bool], None]
#: trust anchors, or a loader called once on the card thread when the first card is read


class CancelledError(CardError):
    """The job was cancelled because the visit ended."""

    code = "card_job_cancelled"


class CardService:
    """Runs every card operation on one thread; reports presence changes through ``post``."""

    def __init__(
        self,
        reader: CardReader,
        post: Post,
        *,
        trust: TrustStore | Callable[[], TrustStore | None] | None = None,
    ) -> None:
        self.reader = reader
        self._post = post
        self._trust_source = trust
        self._trust_loaded = not callable(trust)
        self._trust: TrustStore | None = None if callable(trust) else trust
        self._present: bool | None = None
        self._reader_ok: bool | None = None
        self._presence_listeners: list[PresenceListener] = []
        self._reader_listeners: list[ReaderListener] = []
        self._worker = Worker("card", post, idle=self._poll)

    # ------------------------------------------------------------------ presence

    def on_presence(self, listener: PresenceListener) -> None:
        """Call ``listener(present)`` on the UI thread whenever a card arrives or leaves."""
        self._presence_listeners.append(listener)

    def on_reader(self, listener: ReaderListener) -> None:
        """Call ``listener(available)`` on the UI thread when the reader vanishes or returns."""
        self._reader_listeners.append(listener)

    @property
    def card_present(self) -> bool:
        """Last known presence (False until the first poll)."""
        return bool(self._present)

    def poll_now(self) -> None:
        """Poll presence immediately (tests call this instead of waiting for the worker)."""
        self._poll()

    def _poll(self) -> None:
        try:
            present = self.reader.present()
            reader_ok = True
        except ReaderUnavailableError:
            present, reader_ok = False, False
        except CardError:
            present, reader_ok = False, True
        if reader_ok != self._reader_ok:
            self._reader_ok = reader_ok
            for rl in list(self._reader_listeners):
                self._post(lambda rl=rl, ok=reader_ok: rl(ok))  # type: ignore[misc]
        if present != self._present:
            self._present = present
            for pl in list(self._presence_listeners):
                self._post(lambda pl=pl, p=present: pl(p))  # type: ignore[misc]

    # ------------------------------------------------------------------ jobs

    def check(self, done: Callable[[CheckOutcome], None]) -> threading.Event:
        """Recognise the card and read its PIN tries."""

        def job(cancel: threading.Event) -> CheckOutcome:
            from kiosk.flows.outcomes import CardRecognised

            with self.reader.connect() as transport:
                card = _session(transport)
                status = card.pin_status()
                certificate = card.read_auth_certificate().der
            _raise_if(cancel)
            return CardRecognised(status.text_pin_tries, status.auth_pin_tries, certificate)

        return self._worker.submit(job, _typed(done), lambda err: done(check_outcome(err)))

    def read(self, pin: str, done: Callable[[ReadOutcome], None]) -> threading.Event:
        """Verify the PIN once and read the 基本4情報 and the auth certificate."""

        def job(cancel: threading.Event) -> ReadOutcome:
            from kiosk.flows.outcomes import ResidentRead

            with self.reader.connect() as transport:
                record = _session(transport).read_resident(pin, self._trust_store())
            _raise_if(cancel)
            return ResidentRead(record)

        return self._worker.submit(job, _typed(done), lambda err: done(read_outcome(err)))

    def sign(
        self,
        pin: str,
        data: bytes,
        certificate: bytes,
        done: Callable[[SignOutcome], None],
        *,
        last_try_confirmed: bool = False,
    ) -> threading.Event:
        """Have the card sign SHA-256(data) with its auth key (PIN 0018, one VERIFY at most).

        No VERIFY is sent to a card whose auth certificate is not ``certificate`` (another
        member's card), to a locked PIN, or to a PIN with one try left unless the resident
        confirmed that last try.
        """

        def job(cancel: threading.Event) -> SignOutcome:
            from kiosk.flows.outcomes import Signed, SigningSkipped

            with self.reader.connect() as transport:
                card = _session(transport)
                if card.read_auth_certificate().der != certificate:
                    return SigningSkipped(SIGN_OTHER_CARD)
                tries = card.pin_status().auth_pin_tries
                if tries <= 0:
                    return SigningSkipped(SIGN_PIN_LOCKED)
                if tries < MIN_AUTH_TRIES_TO_SIGN and not last_try_confirmed:
                    return SigningSkipped(SIGN_LAST_TRY)
                import hashlib

                digest = hashlib.sha256(data).digest()
                signature = card.sign_with_auth_key(pin, digest, certificate_der=certificate)
            _raise_if(cancel)
            return Signed(certificate, signature)

        return self._worker.submit(job, _typed(done), lambda err: done(sign_outcome(err)))

    def _trust_store(self) -> TrustStore | None:
        """The trust anchors, loaded on first use (on the card thread, off the UI's start-up)."""
        if not self._trust_loaded:
            source = self._trust_source
            self._trust = source() if callable(source) else None
            self._trust_loaded = True
        return self._trust

    def cancel(self) -> None:
        """Cancel the running and queued card jobs."""
        self._worker.cancel_all()

    def stop(self) -> None:
        """End the worker thread."""
        self._worker.stop()


#: below this many tries the last one is only spent after the resident confirmed it
MIN_AUTH_TRIES_TO_SIGN = 2
#: ``SigningSkipped`` codes the signing part reacts to (no VERIFY was sent for any of them)
SIGN_OTHER_CARD = "other_card"
SIGN_PIN_LOCKED = "auth_pin_locked"
SIGN_LAST_TRY = "auth_pin_last_try"


def _session(transport: CardTransport) -> MyNumberCard:
    """A card session; its module (and cryptography) is imported at the first card."""
    from kiosk.hardware.card.my_number_card import MyNumberCard

    return MyNumberCard(transport)


def _raise_if(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise CancelledError("cancelled")


def _typed(done: Callable[..., None]) -> Done:
    return done


def check_outcome(err: BaseException) -> CheckOutcome:
    """The typed outcome of a failed card check."""
    from kiosk.flows.outcomes import CardLocked, CardUnreadable, NotMyNumberCard, error_code

    if isinstance(err, NotMyNumberCardError):
        return NotMyNumberCard()
    if isinstance(err, PinBlockedError):
        return CardLocked()
    return CardUnreadable(error_code(err))


def sign_outcome(err: BaseException) -> SignOutcome:
    """The typed outcome of a failed signature (a wrong PIN keeps its tries left)."""
    from kiosk.flows.outcomes import SigningSkipped, SignWrongPin, error_code

    if isinstance(err, WrongPinError):
        return SignWrongPin(err.tries_left)
    if isinstance(err, PinBlockedError):
        return SigningSkipped(SIGN_PIN_LOCKED)
    return SigningSkipped(error_code(err))


def read_outcome(err: BaseException) -> ReadOutcome:
    """The typed outcome of a failed read; anything but a card error is a bug and is raised."""
    from kiosk.flows.outcomes import CardLocked, CardUnreadable, WrongPin, error_code

    if isinstance(err, WrongPinError):
        return WrongPin(err.tries_left)
    if isinstance(err, PinBlockedError):
        return CardLocked()
    if isinstance(err, CardError):
        return CardUnreadable(error_code(err))
    raise err
