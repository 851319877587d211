"""Fixtures of the io tests: the demo project, built once, opened read-only per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.storage.store import ProjectStore


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project's file; tests that change a project work on a copy."""
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.thematic")


@pytest.fixture
def demo(demo_file: Path) -> Iterator[ProjectStore]:
    """The demo project, read-only."""
    with ProjectStore.open(demo_file, readonly=True) as store:
        yield store
