"""Tiny sd_notify client (no dependency): READY=1, WATCHDOG=1, STATUS=… over $NOTIFY_SOCKET."""

from __future__ import annotations

import os
import socket

ENV_SOCKET = "NOTIFY_SOCKET"
ENV_WATCHDOG_USEC = "WATCHDOG_USEC"
USEC_PER_S = 1_000_000


def notify(state: str, environ: dict[str, str] | None = None) -> bool:
    """Send one datagram to systemd; False when not run under a notify-type unit."""
    env = os.environ if environ is None else environ
    address = env.get(ENV_SOCKET, "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(address)
            sock.sendall(state.encode("utf-8"))
        except OSError:
            return False
    return True


def ready() -> bool:
    """Tell systemd that start-up is complete."""
    return notify("READY=1")


def watchdog() -> bool:
    """Ping the watchdog."""
    return notify("WATCHDOG=1")


def watchdog_interval_s(environ: dict[str, str] | None = None) -> float | None:
    """Half of $WATCHDOG_USEC in seconds, or None when no watchdog is configured."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_WATCHDOG_USEC, "")
    if not raw.isdigit() or int(raw) == 0:
        return None
    return int(raw) / USEC_PER_S / 2
