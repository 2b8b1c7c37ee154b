"""A scripted card transport: replays (expected command, response) pairs, fails on deviation."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType

from kiosk.hardware.card.errors import CardRemovedError

ATR = bytes.fromhex("3BE000FF8131FE4514")


class TranscriptDeviation(AssertionError):
    """The code under test sent something other than the next expected command."""


@dataclass
class Step:
    """One expected command and the card's answer (data, SW) — or removal of the card."""

    command: bytes
    data: bytes = b""
    sw: int = 0x9000
    removed: bool = False


@dataclass
class ScriptedTransport:
    """Implements CardTransport from a transcript; ``done()`` asserts it was used up."""

    steps: list[Step]
    sent: list[bytes] = field(default_factory=list)
    closed: bool = False

    @property
    def atr(self) -> bytes:
        return ATR

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        index = len(self.sent)
        if index >= len(self.steps):
            raise TranscriptDeviation(f"unexpected extra command #{index}: {apdu.hex(' ')}")
        step = self.steps[index]
        self.sent.append(apdu)
        if apdu != step.command:
            raise TranscriptDeviation(
                f"command #{index}: expected {step.command.hex(' ')}, got {apdu.hex(' ')}"
            )
        if step.removed:
            raise CardRemovedError("card removed (scripted)")
        return step.data, step.sw

    def done(self) -> None:
        if len(self.sent) != len(self.steps):
            raise TranscriptDeviation(f"only {len(self.sent)} of {len(self.steps)} commands sent")

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> ScriptedTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def cmd(hex_text: str) -> bytes:
    """Bytes from spaced hex."""
    return bytes.fromhex(hex_text.replace(" ", ""))
