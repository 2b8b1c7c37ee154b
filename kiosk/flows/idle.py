"""Idle timeout: a warning after ``warn_s`` without a touch, the visit ends after ``reset_s``."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class IdleState(StrEnum):
    """What the idle timer says now."""

    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


class IdleTimer:
    """Pure timing logic; the app feeds touches and polls ``state``."""

    def __init__(
        self, warn_s: float, reset_s: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.warn_s = warn_s
        self.reset_s = reset_s
        self._now = now
        self._skew = 0.0
        self._last = now()

    def _time(self) -> float:
        return self._now() + self._skew

    def touch(self) -> None:
        """The resident did something."""
        self._last = self._time()

    def skew(self, seconds: float) -> None:
        """Pretend ``seconds`` passed (scripted visits and tests)."""
        self._skew += seconds

    def idle_s(self) -> float:
        """Seconds since the last touch."""
        return self._time() - self._last

    def state(self) -> IdleState:
        """ACTIVE, WARNING (show the "continue?" prompt) or EXPIRED (reset the visit)."""
        idle = self.idle_s()
        if idle >= self.reset_s:
            return IdleState.EXPIRED
        if idle >= self.warn_s:
            return IdleState.WARNING
        return IdleState.ACTIVE

    def remaining_s(self, factor: float = 1.0) -> float:
        """Seconds until the reset (``factor`` stretches the limit, as on the PIN screens)."""
        return max(0.0, self.reset_s * factor - self.idle_s())
