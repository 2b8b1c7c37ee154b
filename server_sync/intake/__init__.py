"""The reference central intake service: FastAPI app, database, admin commands.

The kiosk-facing HTTP API lives in :mod:`server_sync.intake.routes`; the clerk console plugs into
the same app (:mod:`server_sync.intake.console`). Start it with ``python -m server_sync.intake``.
"""
