"""A kiosk with ``intake_urls`` fails over between two intake nodes on one PostgreSQL.

Node A is killed with SIGKILL in the middle of a burst: the real sender (``python -m
server_sync run``) goes on with node B at once; afterwards every enqueued filing is stored
exactly once (nothing lost, nothing twice), and a node that is down from the start costs the
kiosk nothing either.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from server_sync.config import load_settings
from server_sync.errors import ConfigError
from tests.fixtures.intake import (
    IntakeServer,
    nodes_on_one_database,
)
from tests.integration.delivery.harness import (
    FAST_CONFIG,
    KioskUnderTest,
    central_filings,
    lost_and_duplicates,
)

BURST = 60
#: node A is killed once this many filings of the burst are stored
KILL_AFTER = 15
WAIT_S = 60.0


@pytest.fixture
def two_nodes(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[IntakeServer, IntakeServer]]:
    """Nodes A and B: own data dirs (own dev CA, own TLS key), one PostgreSQL database."""
    roots = [tmp_path / name for name in ("a", "b")]
    with nodes_on_one_database(request.getfixturevalue("postgres_url"), roots) as nodes:
        yield nodes[0], nodes[1]


def _kiosk(root: Path, nodes: tuple[IntakeServer, IntakeServer]) -> KioskUnderTest:
    """A kiosk enrolled through A, trusting both nodes' CAs, configured with both URLs."""
    urls = ", ".join(f'"{node.base_url}"' for node in nodes)
    kiosk = KioskUnderTest(
        root, config_text=FAST_CONFIG.replace("[sync]\n", f"[sync]\nintake_urls = [{urls}]\n")
    )
    bundle = root / "intake-cas.pem"
    bundle.write_bytes(b"".join(node.ca_file.read_bytes() for node in nodes))
    kiosk.enrol(nodes[0].base_url, nodes[0].create_token(kiosk.kiosk_id), bundle)
    return kiosk


def _stored(node: IntakeServer, ids: list[str]) -> int:
    central = central_filings(node.engine)
    return sum(1 for fid in ids if fid in central)


@pytest.mark.postgres
def test_kill_9_of_a_node_mid_burst_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path, two_nodes: tuple[IntakeServer, IntakeServer]
) -> None:
    node_a, node_b = two_nodes
    kiosk = _kiosk(tmp_path / "kiosk", two_nodes)
    settings = load_settings(kiosk.env())
    assert settings.intake_nodes == (node_a.base_url, node_b.base_url)
    ids = kiosk.enqueue(BURST)
    kiosk.start_sender()
    try:
        deadline = time.monotonic() + WAIT_S
        while _stored(node_a, ids) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.02)
        node_a.kill()  # SIGKILL in the middle of the burst
        assert _stored(node_b, ids) < BURST  # the burst was really cut
        status = kiosk.wait_drained(WAIT_S)
    finally:
        kiosk.stop_sender()
    assert status["backlog"] == 0
    lost, duplicates = lost_and_duplicates(kiosk.enqueued, central_filings(node_b.engine))
    assert (lost, duplicates) == ([], 0)
    assert "trying the next" in kiosk.log_file.read_text()


@pytest.mark.postgres
def test_a_node_down_from_the_start_is_skipped(
    tmp_path: Path, two_nodes: tuple[IntakeServer, IntakeServer]
) -> None:
    node_a, node_b = two_nodes
    kiosk = _kiosk(tmp_path / "kiosk", two_nodes)
    node_a.kill()
    ids = kiosk.enqueue(5)
    result = kiosk.cli("send-once")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("sent 5 ")
    assert _stored(node_b, ids) == len(ids)


def test_intake_urls_config(tmp_path: Path) -> None:
    base = {"KIOSK_STATE_DIR": str(tmp_path / "state"), "KIOSK_ID": "k"}
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[sync]\nintake_urls = ["https://a:8443", "https://b:8443/", "https://a:8443"]\n'
    )
    settings = load_settings({**base, "KIOSK_CONFIG": str(config)})
    assert settings.intake_nodes == ("https://a:8443", "https://b:8443/")
    assert settings.intake_url == "https://a:8443"  # what status shows and require_intake gives
    # the single-URL form keeps working; the environment still overrides with one URL
    config.write_text('[sync]\nintake_url = "https://only:8443"\n')
    assert load_settings({**base, "KIOSK_CONFIG": str(config)}).intake_nodes == (
        "https://only:8443",
    )
    config.write_text('[sync]\nintake_urls = ["https://a:8443"]\n')
    env = {**base, "KIOSK_CONFIG": str(config), "KIOSK_INTAKE_URL": "https://env:8443"}
    assert load_settings(env).intake_nodes == ("https://env:8443",)
    for bad in ("[]", '"https://a:8443"', '["https://a:8443", 3]', '[""]'):
        config.write_text(f"[sync]\nintake_urls = {bad}\n")
        with pytest.raises(ConfigError):
            load_settings({**base, "KIOSK_CONFIG": str(config)})
