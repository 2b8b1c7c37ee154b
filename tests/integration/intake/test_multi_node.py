"""Two intake nodes (own data dirs, own dev CA and TLS key) on one PostgreSQL database.

The same filing posted to both at once is stored once (one 201, one duplicate); enrolment
through one node and revocation by the operator are seen by the other at its next request.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.fixtures.intake import (
    IntakeServer,
    node_pair,
)
from tests.integration.intake.db_checks import audit_actions, filing_count
from tests.integration.intake.kit import Pki, TestKiosk

pytestmark = pytest.mark.postgres

#: filings raced between the two nodes (each a fresh race)
RACES = 6


@pytest.fixture(scope="module")
def two_nodes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, trust_dir: Path
) -> Iterator[tuple[IntakeServer, IntakeServer]]:
    """Nodes A and B: separate data dirs (so separate TLS CAs and keys), one database."""
    with node_pair(request, tmp_path_factory, trust_dir) as nodes:
        assert nodes[0].ca_file.read_bytes() != nodes[1].ca_file.read_bytes()
        yield nodes


def _post_both(
    nodes: tuple[IntakeServer, IntakeServer], kiosk: TestKiosk, envelope: bytes
) -> list[httpx.Response]:
    """POST the same envelope to both nodes at the same moment (threads behind a barrier)."""
    barrier = threading.Barrier(len(nodes))
    answers: list[httpx.Response | None] = [None] * len(nodes)
    clients = [node.client(timeout=30) for node in nodes]
    for client in clients:  # TLS handshakes before the race
        assert client.get("/healthz").status_code == 200

    def post(index: int) -> None:
        barrier.wait()
        answers[index] = kiosk.post_filing(clients[index], envelope)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(nodes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for client in clients:
        client.close()
    assert all(answer is not None for answer in answers)
    return [answer for answer in answers if answer is not None]


def test_same_filing_to_two_nodes_is_stored_once(
    two_nodes: tuple[IntakeServer, IntakeServer], jpki: Pki
) -> None:
    node_a, node_b = two_nodes
    kiosk = TestKiosk(f"mn-{uuid.uuid4().hex[:8]}")
    with node_a.client(timeout=10) as client:  # enrolled through A only
        assert kiosk.enrol(client, node_a.create_token(kiosk.kiosk_id)).status_code == 201
    card = jpki.issue_card()
    for _ in range(RACES):
        filing_id, envelope = kiosk.envelope(card=card)
        answers = _post_both(two_nodes, kiosk, envelope)
        assert sorted(a.status_code for a in answers) == [200, 201]
        assert sorted(a.json()["result"] for a in answers) == ["accepted", "duplicate"]
        assert {a.json()["filing_id"] for a in answers} == {filing_id}
        assert filing_count(node_a.engine, filing_id) == 1
        assert audit_actions(node_a.engine, filing_id) == ["filing.received"]
    with node_b.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT COUNT(*) FROM filings WHERE kiosk_id = :k"), {"k": kiosk.kiosk_id}
        ).scalar_one()
    assert stored == RACES


def test_enrolment_and_revocation_are_seen_by_every_node(
    two_nodes: tuple[IntakeServer, IntakeServer], jpki: Pki
) -> None:
    node_a, node_b = two_nodes
    kiosk = TestKiosk(f"mn-{uuid.uuid4().hex[:8]}")
    with node_a.client(timeout=10) as a, node_b.client(timeout=10) as b:
        # before enrolment neither node knows the kiosk
        assert kiosk.post_filing(b, kiosk.envelope()[1]).json()["error"] == "unknown_kiosk"
        # enrolled through B, accepted by A at once (and the other way round)
        assert kiosk.enrol(b, node_b.create_token(kiosk.kiosk_id)).status_code == 201
        assert kiosk.post_filing(a, kiosk.envelope(card=jpki.issue_card())[1]).status_code == 201
        assert kiosk.post_filing(b, kiosk.envelope()[1]).status_code == 201
        node_a.revoke(kiosk.kiosk_id)  # the operator's CLI writes the shared database
        for client in (a, b):
            answer = kiosk.post_filing(client, kiosk.envelope()[1])
            assert (answer.status_code, answer.json()["error"]) == (403, "revoked_kiosk")
        # re-enrolment (with a new token) through A lifts the revocation on B too
        assert kiosk.enrol(a, node_a.create_token(kiosk.kiosk_id)).status_code == 201
        assert kiosk.post_filing(b, kiosk.envelope()[1]).status_code == 201
