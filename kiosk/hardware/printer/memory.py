"""MemoryPrinter: an in-memory printer with scriptable status, for tests, the app and the demo."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.hardware.printer.base import BytePrinter
from kiosk.hardware.printer.errors import PrinterTimeoutError
from kiosk.hardware.printer.profiles import DEFAULT_PROFILE, PrinterProfile
from kiosk.hardware.printer.status import DLE, EOT, PaperLevel, PrinterStatus, encode_answers


@dataclass(frozen=True, slots=True)
class SimState:
    """A printer state the simulator reports through real DLE EOT answer bytes."""

    online: bool = True
    cover_open: bool = False
    paper: PaperLevel = PaperLevel.OK
    silent: bool = False  # no answer at all → PrinterTimeoutError


READY = SimState()
PAPER_OUT = SimState(online=False, paper=PaperLevel.OUT)
PAPER_NEAR_END = SimState(paper=PaperLevel.NEAR_END)
OFFLINE = SimState(online=False)
COVER_OPEN = SimState(online=False, cover_open=True)
NO_ANSWER = SimState(silent=True)


class MemoryPrinter(BytePrinter):
    """Records every job's bytes; answers status from ``state`` or a queue of scripted states."""

    def __init__(self, profile: PrinterProfile = DEFAULT_PROFILE, state: SimState = READY) -> None:
        super().__init__(profile, can_read_status=True)
        self.state = state
        self._script: deque[SimState] = deque()
        self.jobs: list[bytes] = []
        self.requests: list[bytes] = []
        self.closed = False
        self.status_timeout_s = 0.5
        self._current = state

    @property
    def output(self) -> bytes:
        """All job bytes written so far, concatenated."""
        return b"".join(self.jobs)

    def script(self, states: Iterable[SimState]) -> None:
        """Queue states used one per status() call before falling back to ``state``."""
        self._script.extend(states)

    def set_state(self, state: SimState) -> None:
        """Set the lasting state (e.g. ``PAPER_OUT`` or ``OFFLINE``) and drop any script."""
        self._script.clear()
        self.state = state

    def clear(self) -> None:
        """Forget recorded jobs and requests."""
        self.jobs.clear()
        self.requests.clear()

    def status(self) -> PrinterStatus:
        """Decode the current (or next scripted) state from its status answer bytes."""
        self._current = self._script.popleft() if self._script else self.state
        return super().status()

    def _query(self, request: bytes) -> bytes:
        self.requests.append(request)
        state = self._current
        if state.silent:
            raise PrinterTimeoutError("status read", self.status_timeout_s)
        assert request[:2] == bytes((DLE, EOT))
        answers = encode_answers(
            online=state.online, cover_open=state.cover_open, paper=state.paper
        )
        return answers[request[2]]

    def _write(self, data: bytes) -> None:
        self.jobs.append(bytes(data))

    def close(self) -> None:
        """Mark closed (tests assert the app closes its printer)."""
        self.closed = True
