"""Schemathesis against the live intake (HTTPS) from docs/openapi.json: no 5xx, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import status_code_conformance

from server_sync.intake.cli import openapi_document
from tests.fixtures.intake import IntakeServer
from tests.integration.intake.db_checks import filing_count
from tests.integration.intake.kit import TestKiosk

SPEC = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
MAX_EXAMPLES = 25
#: the last test reads what the fuzzing tests recorded: keep the module on one xdist worker
pytestmark = pytest.mark.xdist_group("fuzz")

schema = schemathesis.openapi.from_path(str(SPEC))
CALLS: list[tuple[str, str, int]] = []
SIGNED_CALLS: list[tuple[str, str, int]] = []


def test_saved_spec_matches_the_app():
    assert json.loads(SPEC.read_text("utf-8")) == json.loads(openapi_document()), (
        "docs/openapi.json is stale; regenerate: "
        "python -m server_sync.intake openapi --output docs/openapi.json"
    )


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_fuzzed_requests_never_5xx_and_never_store(case, shared_intake: IntakeServer):
    response = case.call(base_url=shared_intake.base_url, verify=str(shared_intake.ca_file))
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
    CALLS.append((case.method, case.path, response.status_code))
    # nothing unauthenticated is ever accepted: only the liveness probe answers 2xx
    assert response.status_code >= 400 or case.path == "/healthz", response.text
    assert filing_count(shared_intake.engine) == 0


@pytest.fixture(scope="module")
def fuzz_kiosk(shared_intake: IntakeServer) -> TestKiosk:
    """An enrolled kiosk whose key signs the fuzzed requests (so they pass authentication)."""
    kiosk = TestKiosk("fuzz-kiosk")
    with shared_intake.client(timeout=10) as client:
        assert kiosk.enrol(client, shared_intake.create_token(kiosk.kiosk_id)).status_code == 201
    return kiosk


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_signed_fuzzed_requests_never_5xx_and_never_store(
    case, shared_intake: IntakeServer, fuzz_kiosk: TestKiosk
):
    if case.body is NOT_SET:
        body = b""
    elif isinstance(case.body, bytes):
        body = case.body
    else:
        body = json.dumps(case.body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"} if body else {}
    headers.update(fuzz_kiosk.headers(case.method, case.formatted_path, body))
    with shared_intake.client(timeout=10) as client:
        response = client.request(
            case.method, case.formatted_path, params=case.query, content=body, headers=headers
        )
    SIGNED_CALLS.append((case.method, case.path, response.status_code))
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
    # a fuzzed envelope never carries a valid kiosk signature over a valid filing
    assert response.status_code not in (200, 201) or case.path != "/api/v1/filings"
    assert filing_count(shared_intake.engine) == 0


@pytest.mark.slow
def test_fuzzing_really_ran():
    """Guards the test above against silently generating nothing."""
    operations = {(method, path) for method, path, _ in CALLS}
    assert len(operations) >= 5, operations
    assert len(CALLS) >= 5 * 5
    signed_ok = {path for _, path, status in SIGNED_CALLS if status < 400}
    assert "/api/v1/kiosks/heartbeat" in signed_ok, "signed fuzzing never got past authentication"
