"""Typed errors of the card stack. Data rides on attributes, never only in the message."""

from __future__ import annotations

from kiosk.errors import HardwareError


class CardError(HardwareError):
    """Anything that went wrong talking to a card (exit code 7 in the CLI)."""

    code = "card_error"


class NoCardError(CardError):
    """No card is present, or the card or reader went away during an operation.

    Card removal and reader loss deliberately surface as this one error: for the resident both
    mean "the card is no longer readable" and any partial result must be discarded.
    """

    code = "no_card"


# Card removal mid-operation is the same condition as "no card".
CardRemovedError = NoCardError


class ReaderUnavailableError(NoCardError):
    """The PC/SC service or the named reader is not there."""

    code = "no_card"


class NotMyNumberCardError(CardError):
    """The card answered, but it is not a My Number card (JPKI AP or token EF missing)."""

    code = "not_my_number_card"


class ApduError(CardError):
    """A command ended with an unexpected status word."""

    def __init__(self, sw: int, data: bytes = b"", command: str = "") -> None:
        super().__init__(f"{command or 'command'} failed with SW {sw:04X}")
        self.sw = sw
        self.data = data
        self.command = command


class BadResponseError(CardError):
    """The card answered 9000 but the data is malformed (truncated TLV, bad lengths, ...)."""


class WrongPinError(CardError):
    """VERIFY failed; ``tries_left`` more attempts remain (> 0)."""

    code = "wrong_pin"

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong PIN, {tries_left} tries left")
        self.tries_left = tries_left


class PinBlockedError(CardError):
    """The PIN is blocked (no tries left); only the municipal counter can reset it."""

    code = "pin_blocked"


class PinFormatError(CardError):
    """The PIN given is not in the card's format; refused before anything is sent (no try used)."""

    code = "invalid_pin"
