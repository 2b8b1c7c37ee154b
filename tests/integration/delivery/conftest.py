"""Fixtures of the delivery tests: an enrolled kiosk against the real intake (shared fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.intake import IntakeServer
from tests.integration.delivery.harness import KioskUnderTest


@pytest.fixture
def kiosk(tmp_path: Path, intake_server: IntakeServer) -> Iterator[KioskUnderTest]:
    """A kiosk enrolled (through the real CLI) with a fresh intake."""
    k = KioskUnderTest(tmp_path / "kiosk")
    k.enrol(intake_server.base_url, intake_server.create_token(k.kiosk_id), intake_server.ca_file)
    yield k
    k.kill_sender()
