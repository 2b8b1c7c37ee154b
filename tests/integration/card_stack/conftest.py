"""Card-stack integration tests: reads start cold (no state folder for the reader's cache)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _no_state_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The reader's default CV-certificate cache ($KIOSK_STATE_DIR): absent, so reads start cold."""
    monkeypatch.setenv("KIOSK_STATE_DIR", str(tmp_path / "no-state-folder"))
