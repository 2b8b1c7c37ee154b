"""A real intake app (SQLite in tmp) with a controllable clock, a staff account and a kiosk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from server_sync.intake import store
from server_sync.intake.app import create_app
from server_sync.intake.settings import IntakeSettings

from .helpers import KIOSK_ID, STAFF_PASSWORD, STAFF_USER, raw_public_key

BASE_URL = "https://intake.test"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class MutableClock:
    """A clock the test moves by hand."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 27, 1, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class World:
    """The app under test and its parts."""

    client: TestClient
    engine: Engine
    clock: MutableClock
    kiosk_key: Ed25519PrivateKey

    def csrf_from(self, html: str) -> str:
        match = CSRF_RE.search(html)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def login(self, username: str = STAFF_USER, password: str = STAFF_PASSWORD) -> str:
        """Log in through the form; returns the session's CSRF token."""
        page = self.client.get("/console/login")
        token = self.csrf_from(page.text)
        response = self.client.post(
            "/console/login",
            data={"username": username, "password": password, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        home = self.client.get("/console/")
        assert home.status_code == 200
        return self.csrf_from(home.text)


def make_world(
    tmp_path: Path, extra: dict[str, str] | None = None, db_url: str | None = None
) -> Iterator[World]:
    """Build the app on ``db_url`` (default: SQLite in ``tmp_path``)."""
    clock = MutableClock()
    settings = IntakeSettings(
        db_url=db_url or f"sqlite:///{tmp_path / 'intake.db'}", data_dir=tmp_path, extra=extra or {}
    )
    app = create_app(settings, clock=clock)
    engine = app.state.intake.engine
    store.create_staff(engine, STAFF_USER, STAFF_PASSWORD, now=clock(), actor="test")
    key = Ed25519PrivateKey.generate()
    token = store.create_enrol_token(
        engine, KIOSK_ID, ttl=timedelta(days=1), now=clock(), actor="test"
    )
    store.enrol_kiosk(engine, token, KIOSK_ID, raw_public_key(key), clock())
    with TestClient(app, base_url=BASE_URL) as client:
        yield World(client, engine, clock, key)
    engine.dispose()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """Intake + console on a fresh SQLite database."""
    yield from make_world(tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The same world on SQLite and on a throwaway PostgreSQL database."""
    db_url = None
    if request.param == "postgres":
        db_url = request.getfixturevalue("postgres_database")
    yield from make_world(tmp_path, db_url=db_url)
