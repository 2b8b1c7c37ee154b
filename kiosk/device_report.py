"""The UI's view of its reader and printer, written for the sync service's heartbeat (fleet view).

The UI owns the devices; the sync service runs in another process and reads ``device-state.json``
from the state folder (server_sync/stand_report.py). Written on every change and at least every
``REWRITE_S`` (an old file reads as "unknown": the UI is not running). Printer outcomes arrive on
the paper worker thread, hotplug changes on the UI thread: one lock.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

REWRITE_S = 5 * 60


class DeviceReport:
    """Reader present?, printer state; each change (or an old file) rewrites the file."""

    def __init__(self, state_dir: Path, *, held: bool = False) -> None:
        self._dir = state_dir
        self._lock = threading.Lock()
        # held: changes are kept in memory and written from ``release`` on (the app holds the
        # file, two fsyncs a write, until the welcome screen's first frame is drawn)
        self._held = held
        self._reader = "unknown"
        self._printer_present = True
        self._printer = "unknown"
        self._written: tuple[str, str] | None = None
        self._written_at = 0.0

    def reader(self, present: bool) -> None:
        """The card reader was plugged in or pulled out."""
        with self._lock:
            self._reader = "ok" if present else "missing"
        self.flush()

    def printer_present(self, present: bool) -> None:
        """The printer was plugged in or pulled out (hotplug)."""
        with self._lock:
            self._printer_present = present
        self.flush()

    def printer(self, state: str) -> None:
        """What the last print or status query found: ok, paper_out or offline."""
        with self._lock:
            self._printer = state
        self.flush()

    def state(self) -> tuple[str, str]:
        """(reader, printer) as the fleet view will see them."""
        with self._lock:
            printer = self._printer if self._printer_present else "missing"
            return self._reader, printer

    def release(self) -> None:
        """Write from now on, starting with every change kept while held."""
        with self._lock:
            self._held = False
        self.flush()

    def flush(self, *_args: object) -> None:
        """Write the file when something changed or it is getting old (never raises)."""
        reader, printer = self.state()
        now = time.monotonic()
        with self._lock:
            if self._held:
                return
            if self._written == (reader, printer) and now - self._written_at < REWRITE_S:
                return
            # imported at the first write (after the welcome screen's first frame)
            from server_sync.stand_report import write_device_state

            try:
                write_device_state(self._dir, reader=reader, printer=printer)
            except OSError as err:  # a full or read-only state folder: the heartbeat says unknown
                log.warning("device state not written: %s", type(err).__name__)
                return
            self._written, self._written_at = (reader, printer), now
