"""Run the card CLI: ``python -m kiosk.hardware.card {status,read,simulate}``."""

from __future__ import annotations

import sys

from kiosk.hardware.card.cli import main

if __name__ == "__main__":
    sys.exit(main())
