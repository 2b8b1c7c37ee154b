"""Suite-wide settings. Kivy's environment must be set before anything imports kivy."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-home-"))
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
