"""The periodic heartbeat: tell the intake's fleet view the backlog and master version."""

from __future__ import annotations

from server_sync.master_pull import MasterStore
from server_sync.outbox import Outbox
from server_sync.runtime import app_version
from server_sync.transport import IntakeClient


def send_heartbeat(client: IntakeClient, outbox: Outbox, store: MasterStore) -> None:
    """POST one heartbeat (raises TransportError/RejectedError like any request)."""
    stats = outbox.stats()
    client.heartbeat(
        backlog=stats.backlog,
        dead=stats.dead,
        master_version=store.current_version(),
        app_version=app_version(),
    )
