"""HTTP helpers for the console: templates, security headers, strict form parsing, cookies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from .errors import BadInputError, ConsoleError
from .messages import error_detail

PREFIX = "/console"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
MAX_FORM_FIELDS = 16
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

_ENV = Environment(
    loader=PackageLoader("server_sync.intake.console", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def secured(response: Response) -> Response:
    """Add the console's security headers (strict CSP, no framing, never cached)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


def render(template: str, context: Mapping[str, Any], status: int = 200) -> Response:
    """Render a template (autoescaped) into a secured HTML response."""
    html = _ENV.get_template(template).render(prefix=PREFIX, **context)
    return secured(HTMLResponse(html, status_code=status))


def redirect(path: str) -> Response:
    """A 303 See Other to a console path."""
    return secured(RedirectResponse(PREFIX + path, status_code=303))


def wants_json(request: Request) -> bool:
    """True when the client (the console's own script) asked for JSON."""
    return "application/json" in request.headers.get("accept", "")


def json_response(body: Mapping[str, Any], status: int = 200) -> Response:
    """A secured JSON response."""
    return secured(JSONResponse(dict(body), status_code=status))


def error_response(
    request: Request, err: ConsoleError, context: Mapping[str, Any] | None = None
) -> Response:
    """A typed error as JSON for the script, or as the error page for the browser."""
    detail = error_detail(err)
    if wants_json(request):
        return json_response(
            {"error": err.code, "detail": err.detail, "message": detail.text}, err.status
        )
    page = dict(context or {})
    page.update(
        title=ERROR_TITLES.get(err.code, "エラー / Error"),
        detail=err.detail,
        detail_ja=detail.ja,
        detail_en=detail.en,
        code=err.code,
    )
    return render("error.html", page, err.status)


ERROR_TITLES = {
    "csrf_failed": "操作を受け付けられません（CSRF） / Request refused",
    "bad_input": "入力が正しくありません / Bad input",
    "bad_scan": "QRコードを解読できません / Unreadable code",
    "not_found": "届出が見つかりません / Not found",
    "action_refused": "この操作はできません / Action refused",
    "forbidden": "権限がありません / Not allowed for your role",
}


async def read_form(request: Request, max_bytes: int) -> dict[str, str]:
    """Parse a urlencoded body strictly (size, field count, UTF-8); first value of a key wins."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise BadInputError("form too large")
    if not body:
        return {}
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != FORM_CONTENT_TYPE:
        raise BadInputError("expected an HTML form (application/x-www-form-urlencoded)")
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(
            text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS, errors="strict"
        )
    except (UnicodeDecodeError, ValueError) as err:
        raise BadInputError("malformed form data") from err
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def is_https(request: Request) -> bool:
    """Whether the request came over TLS (then cookies are Secure)."""
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    """Set an HttpOnly, SameSite=Strict cookie scoped to the console (Secure over TLS)."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def clear_cookie(response: Response, request: Request, name: str) -> None:
    """Expire a console cookie."""
    response.delete_cookie(
        name, path=PREFIX, httponly=True, samesite="strict", secure=is_https(request)
    )
