"""The root of the kiosk's typed errors.

Each layer defines its own subclasses next to its code (``kiosk.hardware.card.errors``,
``kiosk.forms.errors`` ...). Errors carry their data on attributes; user-facing text is produced
only by screens and translation catalogs, never from ``str(error)``.
"""

from __future__ import annotations


class KioskError(Exception):
    """Base of every error the kiosk raises on purpose."""

    #: a stable, machine-readable code (used by CLIs and screens to pick a message)
    code: str = "kiosk_error"


class HardwareError(KioskError):
    """A device (card reader, printer, ...) failed or is missing."""

    code = "hardware_error"
