"""Let the event loop's next group-commit batch fill while several kiosks are posting.

The group committer's drain (``GroupCommitter._drain``) asks :meth:`BatchFill.wait` before each
batch: when the recent batches held more than one filing, it waits — at most ``wait_s``, and
only until as many filings are queued as the recent largest batch — so that the kiosks answered
by the last commit join the next one instead of each paying a commit of its own. A lone kiosk's
batches hold one filing, so it never waits; a batch that falls short (a kiosk went quiet)
expects one filing less next time.
"""

from __future__ import annotations

import asyncio


class BatchFill:
    """The expected batch size and the wait for it (used on the event loop only)."""

    def __init__(self, wait_s: float) -> None:
        self._wait_s = wait_s
        #: the recent largest batch (1: commit at once)
        self.expected = 1
        self._filled: asyncio.Future[None] | None = None

    def queued(self, count: int) -> None:
        """``count`` filings are queued now: end the wait once the batch is full."""
        filled = self._filled
        if filled is not None and count >= self.expected and not filled.done():
            filled.set_result(None)

    async def wait(self, loop: asyncio.AbstractEventLoop, count: int) -> None:
        """Before a batch of ``count`` queued filings: wait for it to fill, if others post."""
        if self.expected <= 1 or self._wait_s <= 0 or count >= self.expected:
            return
        filled: asyncio.Future[None] = loop.create_future()
        self._filled = filled
        timer = loop.call_later(self._wait_s, _settle, filled)
        try:
            await filled
        finally:
            timer.cancel()
            self._filled = None

    def committed(self, size: int) -> None:
        """A batch of ``size`` filings was committed: expect as many (one less if it fell short)."""
        self.expected = size if size >= self.expected else self.expected - 1


def _settle(future: asyncio.Future[None]) -> None:
    """Resolve ``future`` unless done (the wait's timer)."""
    if not future.done():
        future.set_result(None)
