"""An error nothing in the app caught: the resident is told and the visit wiped, not a crash.

Kivy hands an exception that escapes a callback (a touch, a clock event, a screen's build) to its
``ExceptionManager``; without a handler the app stops and systemd starts it again: a black panel
for seconds, then the welcome screen, and the resident never learns what happened to the visit.
``FaultGuard`` instead ends the visit the normal way (every personal datum wiped) and the welcome
screen says so. An app that keeps failing is not kept alive: past ``MAX_FAULTS`` within
``FAULT_WINDOW_S`` the error is raised, and systemd restarts the UI (and escalates, see
kiosk-ui.service).

The journal gets the error's type and where it happened (file, line, function of each frame),
never its message or any value: a message can carry what a resident typed.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from kivy.base import ExceptionHandler, ExceptionManager

log = logging.getLogger(__name__)

#: faults survived within FAULT_WINDOW_S; one more and the UI restarts
MAX_FAULTS = 3
FAULT_WINDOW_S = 600.0
#: frames of the stack written to the journal (innermost last)
LOGGED_FRAMES = 12


def fault_place(error: BaseException) -> str:
    """``Type at file:line in function`` of the innermost frame (no message, no values)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    last = frames[-1]
    return f"{type(error).__name__} at {Path(last.filename).name}:{last.lineno} in {last.name}"


def fault_stack(error: BaseException) -> str:
    """The frames of the error's stack, one ``file:line in function`` a line (no values)."""
    frames = traceback.extract_tb(error.__traceback__)[-LOGGED_FRAMES:]
    return "\n".join(f"  {Path(f.filename).name}:{f.lineno} in {f.name}" for f in frames)


def journal_excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """``sys.excepthook`` of the stand's UI: an error that stops it is written to stderr (the
    journal) as its type and places, without the message Python's own hook would print."""
    if not issubclass(kind, Exception):
        sys.__excepthook__(kind, error, trace)
        return
    error.__traceback__ = trace
    sys.stderr.write(f"kiosk: stopped by {fault_place(error)}\n{fault_stack(error)}\n")


class FaultGuard(ExceptionHandler):  # type: ignore[misc]  # (Kivy is untyped)
    """Kivy's exception handler for the kiosk: ``on_fault(error)`` ends the visit; the error
    is raised instead (the app stops) for an interrupt, a fault of ``on_fault`` itself, or more
    than ``limit`` faults within ``window_s``."""

    def __init__(
        self,
        on_fault: Callable[[BaseException], None],
        *,
        limit: int = MAX_FAULTS,
        window_s: float = FAULT_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._on_fault = on_fault
        self._limit = limit
        self._window_s = window_s
        self._clock = clock
        self._times: list[float] = []
        #: the error already decided (Kivy's clock and its main loop may both pass it on)
        self._decided: tuple[BaseException, int] | None = None

    def handle_exception(self, error: BaseException) -> int:
        """``ExceptionManager.PASS`` (survived: the visit ended) or ``RAISE`` (the app stops)."""
        if self._decided is not None and self._decided[0] is error:
            return self._decided[1]
        decision = self._decide(error)
        self._decided = (error, decision)
        return decision

    def _decide(self, error: BaseException) -> int:
        if not isinstance(error, Exception):  # KeyboardInterrupt, SystemExit: stop as asked
            return int(ExceptionManager.RAISE)
        now = self._clock()
        self._times = [t for t in self._times if now - t < self._window_s] + [now]
        place = fault_place(error)
        if len(self._times) > self._limit:
            log.critical(
                "unexpected %s; %d faults within %.0f s: the UI stops (systemd restarts it)\n%s",
                place, len(self._times), self._window_s, fault_stack(error),
            )  # fmt: skip
            return int(ExceptionManager.RAISE)
        log.error(
            "unexpected %s; the visit is ended and wiped (%d of %d within %.0f s)\n%s",
            place, len(self._times), self._limit, self._window_s, fault_stack(error),
        )  # fmt: skip
        try:
            self._on_fault(error)
        except Exception as inner:  # the recovery itself failed: a clean restart is better
            log.critical("ending the visit after the fault failed: %s", fault_place(inner))
            return int(ExceptionManager.RAISE)
        # the visit is wiped: its data must not live on in the finished frames' locals
        traceback.clear_frames(error.__traceback__)
        return int(ExceptionManager.PASS)

    def forget(self) -> None:
        """Let go of the error last decided (the app calls it on the next frame, once Kivy is
        done handing it on): it and its message stay alive no longer than that."""
        self._decided = None
