"""Fixtures of the intake integration tests: toy JPKI roots and a module-wide hardened server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from server_sync.intake.db import migrate, open_engine
from tests.fixtures.intake import IntakeServer, create_database, drop_database, free_port
from tests.integration.intake.kit import Pki, make_pki


@pytest.fixture(scope="session")
def jpki() -> Pki:
    """The toy JPKI root the servers trust."""
    return make_pki("Toy JPKI user authentication CA")


@pytest.fixture(scope="session")
def rogue_pki() -> Pki:
    """A root nobody configured (its cards must not count as verified)."""
    return make_pki("Toy JPKI user authentication CA")  # same name, different key


@pytest.fixture(scope="session")
def trust_dir(tmp_path_factory: pytest.TempPathFactory, jpki: Pki) -> Path:
    """A JPKI trust dir holding only ``jpki``'s root."""
    folder = tmp_path_factory.mktemp("jpki-roots")
    (folder / "jpki-auth-root.pem").write_bytes(jpki.root_pem())
    return folder


def _server(tmp: Path, extra: tuple[str, ...], db_url: str | None = None) -> IntakeServer:
    url = db_url or f"sqlite:///{tmp / 'intake.db'}"
    server = IntakeServer(url, tmp / "data", free_port(), extra)
    server.start()
    return server


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shared_intake(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, trust_dir: Path
) -> Iterator[IntakeServer]:
    """One intake per module and backend, trusting ``jpki`` (tests use their own kiosk ids)."""
    db_url = None
    if request.param == "postgres":
        db_url = create_database(request.getfixturevalue("postgres_url"))
    extra = ("--trust-dir", str(trust_dir))
    server = _server(tmp_path_factory.mktemp("shared-intake"), extra, db_url)
    yield server
    server.close()
    if db_url is not None:
        drop_database(db_url)


@pytest.fixture(scope="module")
def strict_intake(
    tmp_path_factory: pytest.TempPathFactory, trust_dir: Path
) -> Iterator[IntakeServer]:
    """Like ``shared_intake`` but with the reject-untrusted-chain policy."""
    extra = ("--trust-dir", str(trust_dir), "--reject-untrusted-chain")
    server = _server(tmp_path_factory.mktemp("strict-intake"), extra)
    yield server
    server.close()


@pytest.fixture
def client(shared_intake: IntakeServer) -> Iterator[httpx.Client]:
    """An HTTPS client of ``shared_intake`` pinned to its dev CA."""
    with shared_intake.client(timeout=10) as c:
        yield c


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated intake database, once on SQLite and once on the test PostgreSQL."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_database")
    else:
        url = f"sqlite:///{tmp_path / 'intake.db'}"
    eng = open_engine(url)
    migrate(eng)
    yield eng
    eng.dispose()
