"""The intake's unit tests share one fixture: a migrated SQLite database in the test's folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from server_sync.intake.db import migrate, open_engine


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """A fresh intake database in the test's folder, migrated to the newest schema."""
    eng = open_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    migrate(eng)
    return eng
