"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres_server import NoServer, PostgresServer
from thematic_workbench.core.storage.store import ProjectStore

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"


@pytest.fixture
def shared_fixtures() -> Path:
    """The real files made by other programs; absent in a user's clone, so skip there."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is not present (a user's clone); real-file tests skipped")
    return SHARED_FIXTURES


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing keys and the witness log go to a fresh folder, never the real home."""
    folder = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("THEMATIC_CONFIG_DIR", str(folder / "config"))
    monkeypatch.setenv("THEMATIC_DATA_DIR", str(folder / "data"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ProjectStore]:
    """A new, empty project open for writing."""
    project = ProjectStore.create(tmp_path / "study.thematic", "Test study")
    yield project
    project.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of our own for the whole run (skips, saying why, without one)."""
    try:
        server = PostgresServer.start()
    except NoServer as reason:
        pytest.skip(f"team mode tests need a PostgreSQL server: {reason}")
    yield server
    server.stop()


@pytest.fixture
def server_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the test server, as the superuser's URL."""
    return postgres_server.url(postgres_server.new_database())
