"""Serving the console's static files from the package (a fixed allow-list, no path joins)."""

from __future__ import annotations

from importlib import resources

from starlette.responses import Response

from .errors import NotFoundError

MEDIA_TYPES = {
    "console.css": "text/css; charset=utf-8",
    "console.js": "text/javascript; charset=utf-8",
    "handoff.css": "text/css; charset=utf-8",
}


def response(name: str) -> Response:
    """The named static file, or 404 for anything not on the allow-list."""
    media_type = MEDIA_TYPES.get(name)
    if media_type is None:
        return Response("not found", status_code=NotFoundError.status, media_type="text/plain")
    data = (resources.files("server_sync.intake.console") / "static" / name).read_bytes()
    return Response(data, media_type=media_type)
