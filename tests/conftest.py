"""Suite-wide settings. Kivy's environment must be set before anything imports kivy."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
# a Kivy home of this process's own: pytest-xdist workers inherit the controller's environment, and
# two workers making the same new home at once race in Kivy's first import (FileExistsError)
if "PYTEST_XDIST_WORKER" in os.environ or "KIVY_HOME" not in os.environ:
    os.environ["KIVY_HOME"] = tempfile.mkdtemp(prefix="kivy-home-")
os.environ.setdefault("KIVY_WINDOW", "sdl2")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests leave pictures and reports for humans (kept by CI as artifacts)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Shared fixtures live in tests/fixtures/ so every test folder can use them.
pytest_plugins = [
    "tests.fixtures.pcsc",
    "tests.fixtures.printer",
    "tests.fixtures.intake",
    "tests.fixtures.kivy",
    "tests.fixtures.cups",
]


#: fixtures that stand for one machine-wide or expensive-once resource: every test using one runs on
#: the same pytest-xdist worker (``--dist loadgroup``), so the machine's single pcscd is started by
#: one worker only and each gallery sweep runs once
XDIST_GROUPS = {"pcsc_stack": "pcsc", "gallery": "gallery"}


@pytest.hookimpl(tryfirst=True)  # before xdist turns the marker into the node id
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the tests of one shared resource in one xdist group (a no-op without xdist)."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue  # a module's own group (test_fuzz_openapi.py)
        names = set(getattr(item, "fixturenames", ()))
        group = next((g for fixture, g in XDIST_GROUPS.items() if fixture in names), None)
        if group is None and item.get_closest_marker("pcsc") is not None:
            group = "pcsc"
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
