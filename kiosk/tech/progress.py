"""A small progress bar on stderr (a line per 10 % when stderr is not a terminal)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 30
REDRAW_INTERVAL_S = 0.2
MIB = 1024 * 1024


class Progress:
    """Reports ``done`` of ``total`` bytes for one named phase."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._last_decile = -1

    def update(self, done: int) -> None:
        """Redraw for ``done`` bytes (throttled)."""
        now = time.monotonic()
        frac = min(done / self.total, 1.0)
        if self.tty:
            if now - self._last_draw < REDRAW_INTERVAL_S and done < self.total:
                return
            self._last_draw = now
            filled = int(frac * BAR_WIDTH)
            rate = done / MIB / max(now - self.started, 1e-6)
            self.stream.write(
                f"\r{self.label:<8} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{frac * 100:5.1f}% {done // MIB}/{self.total // MIB} MiB {rate:6.1f} MiB/s"
            )
        else:
            decile = int(frac * 10)
            if decile == self._last_decile:
                return
            self._last_decile = decile
            self.stream.write(f"{self.label}: {decile * 10}% ({done // MIB} MiB)\n")
        self.stream.flush()

    def finish(self) -> None:
        """Draw 100 % and end the line."""
        self.update(self.total)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
