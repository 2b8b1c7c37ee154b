"""Retry policy of the sender: exponential backoff with full jitter and a dead-letter cap."""

from __future__ import annotations

import random
from dataclasses import dataclass

NS_PER_S = 1_000_000_000


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Delays grow as base·2^(n-1) up to ``max_delay_s``; give up after attempts or age."""

    base_delay_s: float = 2.0
    max_delay_s: float = 600.0
    #: a message is dead-lettered after this many failed attempts ...
    max_attempts: int = 5000
    #: ... or once it is older than this (the intake refuses envelopes older than 30 days)
    max_age_s: float = 30 * 24 * 3600.0

    def delay_s(self, attempts: int, rng: random.Random | None = None) -> float:
        """Full-jitter delay before the next attempt after ``attempts`` failures (>= 1)."""
        exponent = max(attempts - 1, 0)
        ceiling = self.max_delay_s if exponent >= 64 else self.base_delay_s * (2**exponent)
        ceiling = min(self.max_delay_s, ceiling)
        return (rng or _RNG).uniform(0.0, ceiling)

    def exhausted(self, attempts: int, age_s: float) -> bool:
        """Whether a message that failed ``attempts`` times at age ``age_s`` goes to dead-letter."""
        return attempts >= self.max_attempts or age_s >= self.max_age_s


_RNG = random.SystemRandom()
