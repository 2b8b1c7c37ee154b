"""Delivery during a scripted visit: one pass of the real sender, and "the outbox is empty"."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.demo.environment import DemoEnvironment
    from kiosk.forms.master import AddressMaster

DELIVERY_POLL_S = 0.25


def outbox_empty_poll(env: DemoEnvironment, master: AddressMaster) -> Callable[[], bool]:
    """A condition: the running sender has delivered every filing (polled 4x a second)."""
    from kiosk.flows.staff import collect

    next_check = [0.0]

    def delivered() -> bool:
        if time.monotonic() < next_check[0]:
            return False
        next_check[0] = time.monotonic() + DELIVERY_POLL_S
        return collect(env.sync, master).backlog == 0

    return delivered


def sync_once(env: DemoEnvironment, done: threading.Event) -> None:
    """One pass of the real sender (``python -m server_sync send-once``) on the demo state."""
    variables = {
        **os.environ,
        "KIOSK_STATE_DIR": str(env.state_dir),
        "KIOSK_CONFIG": str(env.root / "no-config.toml"),
        "KIOSK_ID": env.sync.kiosk_id or "",
        "KIOSK_INTAKE_URL": env.sync.intake_url or "",
    }
    try:
        subprocess.run(
            [sys.executable, "-m", "server_sync", "send-once"],
            env=variables, capture_output=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        done.set()
