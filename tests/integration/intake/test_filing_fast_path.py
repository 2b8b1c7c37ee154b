"""The filing POST's ASGI fast path answers exactly as the normal stack would (real uvicorn, TLS).

``POST /api/v1/filings`` skips FastAPI's router (issue 14: CPU per filing); the answers, the
error bodies, HSTS and the OpenAPI document must not change, and other methods on the same
path still get the normal stack's answers.
"""

from __future__ import annotations

import json

from tests.fixtures.intake import IntakeServer
from tests.integration.intake.kit import TestKiosk

FILINGS = "/api/v1/filings"
HSTS = "max-age=31536000"


def test_fast_path_answers_accept_duplicate_and_errors_like_the_stack(
    intake_server: IntakeServer,
) -> None:
    kiosk = TestKiosk("fast-k1")
    with intake_server.client(timeout=30) as client:
        assert kiosk.enrol(client, intake_server.create_token(kiosk.kiosk_id)).status_code == 201
        fid, envelope = kiosk.envelope()
        first = kiosk.post_filing(client, envelope)
        again = kiosk.post_filing(client, envelope)
        forged = kiosk.post_filing(client, TestKiosk(kiosk.kiosk_id).envelope()[1])
        unsigned = client.post(FILINGS, content=envelope)
        not_json = kiosk.post_filing(client, b"{not json")
        wrong_method = client.put(FILINGS, content=envelope)
        spec = client.get("/openapi.json")
    assert (first.status_code, first.json()) == (201, {"result": "accepted", "filing_id": fid})
    assert (again.status_code, again.json()) == (200, {"result": "duplicate", "filing_id": fid})
    assert forged.status_code == 401 and forged.json()["error"] == "key_mismatch"
    assert unsigned.status_code == 401 and unsigned.json()["error"] == "bad_signature"
    assert not_json.status_code == 400 and set(not_json.json()) == {"error", "detail"}
    for answer in (first, again, forged, unsigned, not_json):
        assert answer.headers["strict-transport-security"] == HSTS
        assert answer.headers["content-type"] == "application/json"
    assert wrong_method.status_code == 405  # not the fast path: the router's answer
    assert wrong_method.json()["error"] == "method_not_allowed"
    if spec.status_code == 200:  # the route stays declared for the document
        assert "post" in json.loads(spec.text)["paths"][FILINGS]
