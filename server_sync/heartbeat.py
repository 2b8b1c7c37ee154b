"""The periodic heartbeat: the fleet view's backlog, master version and the stand's state."""

from __future__ import annotations

from pathlib import Path

from server_sync.master_pull import MasterStore
from server_sync.outbox import Outbox
from server_sync.runtime import app_version
from server_sync.stand_report import stand_report
from server_sync.transport import IntakeClient


def send_heartbeat(
    client: IntakeClient, outbox: Outbox, store: MasterStore, state_dir: Path
) -> None:
    """POST one heartbeat (raises TransportError/RejectedError like any request)."""
    stats = outbox.stats()
    client.heartbeat(
        backlog=stats.backlog,
        dead=stats.dead,
        master_version=store.current_version(),
        app_version=app_version(),
        stand=stand_report(state_dir),
    )
