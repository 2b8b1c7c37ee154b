"""``python -m server_sync.intake``: serve the intake or run an admin sub-command."""

from __future__ import annotations

import sys

from server_sync.intake.cli import main

if __name__ == "__main__":
    sys.exit(main())
