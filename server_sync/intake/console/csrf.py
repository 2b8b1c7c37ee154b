"""CSRF protection: a per-session token echoed in forms or the X-CSRF-Token header."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh unguessable token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def tokens_match(expected: str, presented: str | None) -> bool:
    """Constant-time comparison; a missing or empty token never matches."""
    if not presented or not expected:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), presented.encode("utf-8"))


def origin_allowed(origin: str | None, referer: str | None, host: str | None) -> bool:
    """Reject cross-site requests: Origin (or Referer) when sent must name this host."""
    source = origin if origin and origin != "null" else referer
    if origin == "null":
        return False
    if not source:
        return True
    return bool(host) and urlsplit(source).netloc == host
