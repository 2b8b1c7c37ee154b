"""Login throttling that protects the intake, not the attacker.

Kept in memory (per intake process), so counting a failure never takes the filing database's
write lock. Three limits:

* **per source** (the client address): after ``source_free_failures`` failures the source waits,
  and every further failure doubles the wait up to ``max_lock_s``; a success clears it;
* **per account**: after ``account_max_failures`` failures on one name within the window, only
  sources that have not yet failed on that name may try it — the clerk at another desk still
  logs in, while each attacking source is refused (the source is locked, never the person);
* **hashing**: at most ``hash_slots`` password hashes run at once and at most ``hash_queue`` wait
  (per lane: sources with and without recent failures, the clean lane first); a login beyond
  that is refused at once (429) instead of queueing CPU work.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from .errors import LoginThrottledError

#: entries kept per table before the oldest are forgotten (bounded memory under a flood)
MAX_TRACKED = 50_000
#: niceness of the hashing threads: filing posts get the CPU first when both want it
HASH_THREAD_NICENESS = 10


def _lower_priority() -> None:
    """Run this (hashing) thread at a lower CPU priority (Linux: niceness is per thread)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_THREAD_NICENESS)


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """The limits (seconds and counts)."""

    source_free_failures: int = 5
    base_lock_s: int = 60
    max_lock_s: int = 15 * 60
    window_s: int = 15 * 60
    account_max_failures: int = 20
    hash_slots: int = 1
    hash_queue: int = 4


@dataclass(slots=True)
class _SourceState:
    failures: int = 0
    locked_until: int = 0
    last_failure: int = 0


@dataclass(slots=True)
class _AccountState:
    failures: deque[int] = field(default_factory=deque)
    failed_sources: dict[str, int] = field(default_factory=dict)


class LoginThrottle:
    """Thread-safe counters of failed logins per source and per account, and the hash pool."""

    def __init__(self, policy: ThrottlePolicy) -> None:
        self.policy = policy
        self._lock = threading.Lock()
        self._sources: OrderedDict[str, _SourceState] = OrderedDict()
        self._accounts: OrderedDict[str, _AccountState] = OrderedDict()
        self._slot_free = threading.Condition()
        self._hashing = 0
        self._queued = {True: 0, False: 0}  # waiting hashes of clean / suspect sources
        self._pool = ThreadPoolExecutor(
            max_workers=policy.hash_slots,
            thread_name_prefix="login-hash",
            initializer=_lower_priority,
        )

    def check(self, source: str, account: str, now: int) -> None:
        """Refuse (429) a locked source, or a source that already failed on a guarded account."""
        with self._lock:
            state = self._sources.get(source)
            if state is not None and now < state.locked_until:
                raise LoginThrottledError("too many failed logins from here; wait and try again")
            acc = self._accounts.get(account)
            if acc is None:
                return
            self._prune(acc, now)
            guarded = len(acc.failures) >= self.policy.account_max_failures
            failed_at = acc.failed_sources.get(source)
            if guarded and failed_at is not None and failed_at > now - self.policy.window_s:
                raise LoginThrottledError("too many failed logins for this name; wait")

    def failed(self, source: str, account: str, now: int) -> bool:
        """Count a failure; True when it is the first of this source on this account (audit it)."""
        with self._lock:
            state = self._sources.pop(source, None) or _SourceState()
            if now - state.last_failure > self.policy.window_s:
                state.failures = 0
            state.failures += 1
            state.last_failure = now
            over = state.failures - self.policy.source_free_failures
            if over >= 0:
                wait = min(self.policy.base_lock_s * 2 ** min(over, 20), self.policy.max_lock_s)
                state.locked_until = now + wait
            self._sources[source] = state
            acc = self._accounts.pop(account, None) or _AccountState()
            self._prune(acc, now)
            acc.failures.append(now)
            previous = acc.failed_sources.pop(source, None)
            first = previous is None or previous <= now - self.policy.window_s
            acc.failed_sources[source] = now
            while len(acc.failed_sources) > MAX_TRACKED:
                del acc.failed_sources[next(iter(acc.failed_sources))]
            self._accounts[account] = acc
            self._bound()
            return first

    def succeeded(self, source: str, account: str) -> None:
        """A correct password: forget this source's failures and its mark on the account."""
        with self._lock:
            self._sources.pop(source, None)
            acc = self._accounts.get(account)
            if acc is not None:
                acc.failed_sources.pop(source, None)

    def source_locked(self, source: str, now: int) -> bool:
        """Whether ``source`` is waiting now (for tests and the audit)."""
        with self._lock:
            state = self._sources.get(source)
            return state is not None and now < state.locked_until

    @contextmanager
    def hashing(self, source: str = "", now: int = 0) -> Iterator[None]:
        """One slot of the bounded hash pool; LoginThrottledError when the queue is full.

        Sources without recent failures go first: a clerk at another desk is not queued behind
        an attacker's hashes. A source refused as "busy" counts as suspect from then on.
        """
        clean = self._clean(source, now)
        with self._slot_free:
            if self._queued[clean] >= self.policy.hash_queue:
                self._mark(source, now)
                raise LoginThrottledError("the login service is busy; try again shortly")
            self._queued[clean] += 1
            try:
                while self._hashing >= self.policy.hash_slots or (
                    not clean and self._queued[True] > 0
                ):
                    self._slot_free.wait()
            finally:
                self._queued[clean] -= 1
            self._hashing += 1
        try:
            yield
        finally:
            with self._slot_free:
                self._hashing -= 1
                self._slot_free.notify_all()

    def verify(
        self, check: Callable[[str, str], bool], password: str, stored: str, source: str, now: int
    ) -> bool:
        """``check(password, stored)`` in a slot of the pool, on a low-priority thread."""
        with self.hashing(source, now):
            return self._pool.submit(check, password, stored).result()

    def _clean(self, source: str, now: int) -> bool:
        with self._lock:
            state = self._sources.get(source)
            return state is None or now - state.last_failure > self.policy.window_s

    def _mark(self, source: str, now: int) -> None:
        with self._lock:
            state = self._sources.pop(source, None) or _SourceState()
            state.last_failure = now
            self._sources[source] = state
            self._bound()

    def _prune(self, acc: _AccountState, now: int) -> None:
        cut = now - self.policy.window_s
        while acc.failures and acc.failures[0] <= cut:
            acc.failures.popleft()

    def _bound(self) -> None:
        while len(self._sources) > MAX_TRACKED:
            self._sources.popitem(last=False)
        while len(self._accounts) > MAX_TRACKED:
            self._accounts.popitem(last=False)
