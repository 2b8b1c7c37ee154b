"""Typed console errors with stable codes (shown to clerks as messages, never tracebacks)."""

from __future__ import annotations


class ConsoleError(Exception):
    """Base of console errors; ``code`` is stable, ``status`` is the HTTP status."""

    code = "console_error"
    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class LoginFailedError(ConsoleError):
    """Wrong username or password, or a disabled account (deliberately indistinguishable)."""

    code = "login_failed"
    status = 401


class LoginThrottledError(ConsoleError):
    """Too many recent failures for this username."""

    code = "login_throttled"
    status = 429


class CsrfError(ConsoleError):
    """A state-changing request without a valid CSRF token or from another origin."""

    code = "csrf_failed"
    status = 403


class BadInputError(ConsoleError):
    """A form field is missing, too long or malformed."""

    code = "bad_input"
    status = 400


class BadScanError(ConsoleError):
    """Scanned text is not a kiosk payload part."""

    code = "bad_scan"
    status = 422


class NotFoundError(ConsoleError):
    """No such filing (neither posted nor scanned in this session)."""

    code = "not_found"
    status = 404


class ActionRefusedError(ConsoleError):
    """Accept/reject not allowed for this filing in its current state or checks."""

    code = "action_refused"
    status = 409
