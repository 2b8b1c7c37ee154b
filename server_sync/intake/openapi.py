"""OpenAPI helpers: bodies read by hand (signed bytes) still get their schemas in the spec."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from server_sync.intake.bodies import EnvelopeBody, ErrorBody, HeartbeatRequest
from server_sync.request_auth import HEADER_KIOSK_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP

REF = "#/components/schemas/{model}"
#: only the kiosk protocol is documented (the console's HTML routes are not an API)
DOCUMENTED = ("/api/", "/healthz")
API_TITLE = "Kiosk central intake"
API_VERSION = "1"
#: models referenced only from openapi_extra (FastAPI does not collect them itself)
EXTRA_MODELS: tuple[type[BaseModel], ...] = (EnvelopeBody, HeartbeatRequest, ErrorBody)


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """An ``openapi_extra`` request body referencing ``model``."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}},
        }
    }


def kiosk_auth_parameters() -> list[dict[str, Any]]:
    """The three signed headers as OpenAPI parameters."""
    described = {
        HEADER_KIOSK_ID: "enrolled kiosk id",
        HEADER_TIMESTAMP: "RFC 3339 UTC request time (accepted ±5 min)",
        HEADER_SIGNATURE: 'base64 Ed25519 over "METHOD\\nPATH\\nTIMESTAMP\\nSHA256HEX(body)"',
    }
    return [
        {
            "name": name,
            "in": "header",
            "required": True,
            "description": text,
            "schema": {"type": "string"},
        }
        for name, text in described.items()
    ]


#: our own wording: Python's http phrases changed in 3.13 (413/422), the spec must not
ERROR_DESCRIPTIONS = {
    400: "malformed request or clock (bad_envelope, bad_request, clock_skew, digest_mismatch)",
    401: "authentication failed (bad_signature, key_mismatch, bad_token)",
    403: "kiosk not allowed (unknown_kiosk, revoked_kiosk)",
    404: "not found (not_found)",
    409: "idempotency key reused for other content (idempotency_conflict)",
    413: "body too large (too_large)",
    422: (
        "content refused (bad_resident_signature, untrusted_resident_chain, bad_filing, "
        "filing_too_old)"
    ),
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers (``{"error", "detail"}``) for the given statuses."""
    return {
        status: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]}
        for status in statuses
    }


def _drop_default_validation_answers(schema: dict[str, Any]) -> None:
    """FastAPI documents 422 HTTPValidationError; this app answers 400 bad_request instead."""
    for item in schema["paths"].values():
        for operation in item.values():
            answer = operation.get("responses", {}).get("422")
            if answer is not None and "HTTPValidationError" in json.dumps(answer):
                del operation["responses"]["422"]
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)


def install_openapi(app: FastAPI) -> None:
    """Replace ``app.openapi`` so the hand-read body models appear under components."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=API_TITLE,
            version=API_VERSION,
            description="Kiosk ↔ intake protocol, HTTP part (docs/protocol.md).",
            routes=app.routes,
        )
        schema["paths"] = {
            path: item for path, item in schema["paths"].items() if path.startswith(DOCUMENTED)
        }
        _drop_default_validation_answers(schema)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in EXTRA_MODELS:
            model_schema = model.model_json_schema(ref_template=REF)
            for name, sub in model_schema.pop("$defs", {}).items():
                components.setdefault(name, sub)
            components.setdefault(model.__name__, model_schema)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]
