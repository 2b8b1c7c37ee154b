"""Every test here runs against the machine's real pcscd + vpcd."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "card_stack" in str(item.path):
            item.add_marker(pytest.mark.pcsc)
