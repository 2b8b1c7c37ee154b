"""The clerk console: a web page of the reference intake for reviewing scanned filings.

The intake's ``create_app`` calls :func:`install` (pages under ``/console``). Staff log in with a
password (scrypt, :mod:`server_sync.intake.passwords`), get a server-side session (:mod:`.auth`)
and a CSRF token (:mod:`.csrf`); a barcode scanner types each QR part into the scan field
(:mod:`.scanning`); the review rules are in :mod:`.review`.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from server_sync.intake.context import IntakeContext

from .auth import throttle_policy
from .card_face_routes import router as card_face_router
from .guard import authenticator, configure
from .handoff_routes import router as handoff_router
from .katagaki_routes import router as katagaki_router
from .keepalive import router as keepalive_router
from .routes import router
from .seal_routes import router as seal_router
from .throttle import LoginThrottle

__all__ = ["install", "router"]


def install(app: FastAPI, ctx: IntakeContext) -> None:
    """Mount the console (settings: KIOSK_CONSOLE_* env, then ``extra``); purge dead sessions."""
    settings = configure(ctx, os.environ)
    app.state.console_settings = settings
    app.state.login_throttle = LoginThrottle(throttle_policy(settings))
    authenticator(ctx, settings).purge_expired()
    app.include_router(router)
    app.include_router(keepalive_router)
    app.include_router(handoff_router)
    app.include_router(card_face_router)
    app.include_router(seal_router)
    app.include_router(katagaki_router)
