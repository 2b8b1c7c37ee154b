"""``python -m server_sync [run|send-once|pull-master|status|enrol|requeue]``."""

from __future__ import annotations

import sys

from server_sync.cli import main

if __name__ == "__main__":
    sys.exit(main())
