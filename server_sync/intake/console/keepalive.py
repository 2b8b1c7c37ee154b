"""POST /console/session/extend: the "extend" button of the session-expiry warning.

Any request of a logged-in clerk refreshes the idle timer (:meth:`.auth.Authenticator.session`);
this endpoint is that refresh on its own, CSRF-checked, answering how long the session now lasts
so the page can re-arm its warning (2 minutes before the idle limit).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from server_sync.intake.context import IntakeContext

from .auth import Session
from .guard import check_csrf, console_settings, with_session
from .web import PREFIX, json_response, read_form

router = APIRouter(prefix=PREFIX, include_in_schema=False)

#: the page warns this long before the session would end without activity
SESSION_WARNING_S = 120


def remaining_s(session: Session, idle_s: int) -> int:
    """Seconds the session lasts from its last activity: the idle limit or the hard end."""
    return max(0, min(idle_s, session.expires_at - session.last_seen_at))


@router.post("/session/extend")
async def extend_session(request: Request) -> Response:
    """Refresh the idle timer; ``{"extended": true, "remaining_s", "warning_s"}``."""

    async def handle(request: Request, session: Session, ctx: IntakeContext) -> Response:  # noqa: ARG001
        settings = console_settings(request)
        check_csrf(request, session, await read_form(request, settings.form_max_bytes))
        return json_response(
            {
                "extended": True,
                "remaining_s": remaining_s(session, settings.session_idle_s),
                "warning_s": SESSION_WARNING_S,
            }
        )

    return await with_session(request, handle, post=True)
