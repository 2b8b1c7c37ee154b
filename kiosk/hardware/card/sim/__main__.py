"""``python -m kiosk.hardware.card.sim --identity FILE [--port N] [--vanish-after N]``."""

from __future__ import annotations

import sys

from kiosk.hardware.card.sim.cli import main

sys.exit(main())
