"""What every request handler needs: settings, engine, JPKI roots and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from sqlalchemy import Engine
from starlette.requests import Request

from server_sync.intake.settings import IntakeSettings

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class IntakeContext:
    """Per-app state, stored as ``app.state.intake`` (no module globals)."""

    settings: IntakeSettings
    engine: Engine
    roots: tuple[x509.Certificate, ...]
    now: Clock


def context_of(request: Request) -> IntakeContext:
    """The context of the app serving ``request``."""
    ctx = request.app.state.intake
    if not isinstance(ctx, IntakeContext):  # pragma: no cover - set by create_app
        raise TypeError("app.state.intake is not an IntakeContext")
    return ctx
