"""What every request handler needs: settings, engine, JPKI roots, clock, filing writer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cryptography import x509
from sqlalchemy import Engine
from starlette.requests import Request

from server_sync.intake.settings import IntakeSettings

if TYPE_CHECKING:  # the store package imports the console, which imports this module
    from server_sync.intake.store.group_commit import GroupCommitter

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class IntakeContext:
    """Per-app state, stored as ``app.state.intake`` (no module globals)."""

    settings: IntakeSettings
    engine: Engine
    roots: tuple[x509.Certificate, ...]
    now: Clock
    #: stores posted filings with group commit (concurrent posts share one fsync)
    filings: GroupCommitter


def context_of(request: Request) -> IntakeContext:
    """The context of the app serving ``request``."""
    ctx = request.app.state.intake
    if not isinstance(ctx, IntakeContext):  # pragma: no cover - set by create_app
        raise TypeError("app.state.intake is not an IntakeContext")
    return ctx
