"""The suite runs on pytest-xdist workers (scripts/test.sh); the tests of one machine-wide resource
must stay on one worker. xdist groups them by a suffix on the node id (``…@pcsc``); a pytest or
xdist upgrade that silently drops the suffix (pytest-dev/pytest-xdist#1386) fails here."""

from __future__ import annotations

import os

import pytest

from tests.conftest import XDIST_GROUPS


def test_shared_resource_tests_carry_their_xdist_group(request: pytest.FixtureRequest) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER") or not request.config.getoption(
        "loadgroup", False
    ):
        pytest.skip("only meaningful on a pytest-xdist worker with --dist loadgroup")
    groups = set(XDIST_GROUPS.values())
    grouped = [
        item
        for item in request.session.items
        if item.get_closest_marker("xdist_group") is not None
        and item.get_closest_marker("xdist_group").args[0] in groups  # type: ignore[union-attr]
    ]
    if not grouped:
        pytest.skip("no test of a shared resource was collected in this run")
    lost = [item.nodeid for item in grouped if "@" not in item.nodeid.rsplit("]", 1)[-1]]
    assert not lost, f"{len(lost)} grouped tests lost their xdist group, e.g. {lost[:3]}"
