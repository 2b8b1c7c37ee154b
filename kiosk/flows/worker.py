"""One background thread per device: a job queue, a cancel Event, results hopped to the UI."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

#: how a worker hands a callback to the UI thread (Clock in the app, inline in tests)
Post = Callable[[Callable[[], None]], None]
Job = Callable[[threading.Event], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]

IDLE_POLL_S = 0.25


def post_inline(fn: Callable[[], None]) -> None:
    """A ``Post`` that runs the callback immediately (tests, headless tools)."""
    fn()


@dataclass(slots=True)
class _Item:
    job: Job
    done: Done
    failed: Failed
    cancel: threading.Event


class Worker:
    """Runs jobs one after another on its own thread; ``idle`` runs between jobs."""

    def __init__(
        self,
        name: str,
        post: Post,
        *,
        idle: Callable[[], None] | None = None,
        idle_interval_s: float = IDLE_POLL_S,
    ) -> None:
        self._post = post
        self._idle = idle
        self._interval = idle_interval_s
        self._queue: queue.Queue[_Item | None] = queue.Queue()
        self._current: _Item | None = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Job, done: Done, failed: Failed) -> threading.Event:
        """Queue ``job``; ``done(result)`` or ``failed(error)`` later run through ``post``."""
        item = _Item(job, done, failed, threading.Event())
        self._queue.put(item)
        return item.cancel

    def cancel_all(self) -> None:
        """Cancel the running job and drop queued ones (their callbacks never run)."""
        current = self._current
        if current is not None:
            current.cancel.set()
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item.cancel.set()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Cancel everything and end the thread."""
        self.cancel_all()
        self._stopped.set()
        self._queue.put(None)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                item = self._queue.get(timeout=self._interval)
            except queue.Empty:
                self._run_idle()
                continue
            if item is None:
                return
            if item.cancel.is_set():
                continue
            self._current = item
            try:
                result = item.job(item.cancel)
            except Exception as err:
                if not item.cancel.is_set():
                    self._post(lambda err=err, item=item: item.failed(err))  # type: ignore[misc]
            else:
                if not item.cancel.is_set():
                    self._post(lambda r=result, item=item: item.done(r))  # type: ignore[misc]
            finally:
                self._current = None
                # no personal data may linger in this idle thread's locals until the next job
                item = result = None

    def _run_idle(self) -> None:
        if self._idle is None:
            return
        try:
            self._idle()
        except Exception:
            log.warning("idle probe failed", exc_info=True)


class CallbackQueue:
    """A ``Post`` for headless use: callbacks wait here until ``pump`` runs them on this thread."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Callable[[], None]] = queue.Queue()

    def post(self, fn: Callable[[], None]) -> None:
        """Queue ``fn`` (thread-safe)."""
        self._queue.put(fn)

    def pump(self, until: Callable[[], bool] | None = None, timeout_s: float = 10.0) -> bool:
        """Run queued callbacks until ``until()`` holds (or, without it, the queue is drained)."""
        import time

        deadline = time.monotonic() + timeout_s
        while True:
            if until is not None and until():
                return True
            try:
                fn = self._queue.get(timeout=0.02)
            except queue.Empty:
                if until is None:
                    return True
                if time.monotonic() > deadline:
                    return False
                continue
            fn()
