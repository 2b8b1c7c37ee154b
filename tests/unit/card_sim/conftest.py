"""Fixtures of the simulator unit tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kiosk.hardware.card.sim import SimulatedCard, TestPki


@pytest.fixture
def make_card(test_pki: TestPki) -> Callable[..., SimulatedCard]:
    """Factory: ``make_card("yamada", **options)`` → a fresh in-process SimulatedCard."""

    def make(identity: str = "yamada", **options: Any) -> SimulatedCard:
        return SimulatedCard.from_file(identity, test_pki, **options)

    return make


@pytest.fixture
def yamada(make_card: Callable[..., SimulatedCard]) -> SimulatedCard:
    """An ordinary card, freshly reset."""
    return make_card("yamada")
