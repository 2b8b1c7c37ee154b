"""The client speaks what the intake documents: paths, headers and bodies vs docs/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from server_sync import request_auth, transport
from server_sync.envelope import ENVELOPE_MEMBERS
from server_sync.stand_report import StandReport

SPEC_PATH = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC_PATH.exists():
        pytest.skip("docs/openapi.json not written yet")
    data: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return data


def _schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][name]
    return schema


@pytest.mark.parametrize(
    ("method", "path", "signed"),
    [
        ("post", transport.PATH_FILINGS, True),
        ("post", transport.PATH_ENROL, False),
        ("post", transport.PATH_HEARTBEAT, True),
        ("get", transport.PATH_MANIFEST, True),
        ("get", transport.PATH_MASTER_FILE + "{name}", True),
    ],
)
def test_every_client_call_is_documented(
    spec: dict[str, Any], method: str, path: str, signed: bool
) -> None:
    operation = spec["paths"][path][method]
    headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
    expected = {
        request_auth.HEADER_KIOSK_ID,
        request_auth.HEADER_TIMESTAMP,
        request_auth.HEADER_SIGNATURE,
    }
    assert (expected <= headers) is signed


def test_master_files_accept_the_version_pin(spec: dict[str, Any]) -> None:
    params = spec["paths"][transport.PATH_MASTER_FILE + "{name}"]["get"]["parameters"]
    assert any(p["in"] == "query" and p["name"] == "version" for p in params)


def test_heartbeat_body_matches_the_schema(spec: dict[str, Any]) -> None:
    schema = _schema(spec, "HeartbeatRequest")
    stand = StandReport(image_version="1.5.0", slot="a", reader="ok", printer="paper_out")
    body = transport.heartbeat_document(
        backlog=1, dead=0, master_version=None, app_version="x", stand=stand
    )
    assert set(body) == set(schema["properties"])
    older = transport.heartbeat_document(backlog=1, dead=0, master_version=None, app_version="x")
    assert set(schema.get("required", [])) <= set(older)  # kiosks without the stand fields


def test_envelope_members_match_the_schema(spec: dict[str, Any]) -> None:
    assert set(_schema(spec, "EnvelopeBody")["properties"]) == set(ENVELOPE_MEMBERS)


@pytest.mark.parametrize(
    ("schema", "members"),
    [("FilingResult", {"result", "filing_id"}), ("EnrolResponse", {"kiosk_id", "key_id"}),
     ("Manifest", {"version", "published_at", "files"}),
     ("ManifestFile", {"name", "sha256", "size"})],
)  # fmt: skip
def test_answers_carry_what_the_client_reads(
    spec: dict[str, Any], schema: str, members: set[str]
) -> None:
    assert members <= set(_schema(spec, schema)["properties"])
