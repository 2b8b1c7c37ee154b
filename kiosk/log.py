"""Logging helpers: the TRAFFIC level for raw device bytes and a redaction filter.

Raw APDUs and printer bytes are logged only at ``TRAFFIC`` (5), below DEBUG; VERIFY data is masked
before it reaches any log record (see ``kiosk.hardware.card.apdu.redact``). Personal data is never
logged at INFO or above.
"""

from __future__ import annotations

import logging

TRAFFIC = 5
logging.addLevelName(TRAFFIC, "TRAFFIC")


def configure(level: int = logging.INFO) -> None:
    """Configure the root handler once for a process (stderr → journald on the device)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
