"""The clerk console: a web page of the reference intake for reviewing scanned filings.

The intake's ``create_app`` calls :func:`install` (pages under ``/console``). Staff log in with a
password (scrypt, :mod:`.passwords`), get a server-side session (:mod:`.auth`) and a CSRF token
(:mod:`.csrf`); a barcode scanner types each QR part into the scan field (:mod:`.scanning`); the
review rules are in :mod:`.review`.
"""

from __future__ import annotations

from fastapi import FastAPI

from server_sync.intake.context import IntakeContext

from .routes import authenticator, router

__all__ = ["install", "router"]


def install(app: FastAPI, ctx: IntakeContext) -> None:
    """Mount the console on the intake app and drop sessions that expired while it was down."""
    authenticator(ctx).purge_expired()
    app.include_router(router)
