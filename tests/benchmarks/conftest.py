"""Session fixtures of the benchmarks: the synthetic corpus and the large project.

``BENCH_TRANSCRIPTS`` (environment) shrinks the corpus for a quick trial run; the targets
are only meaningful with the default 200 transcripts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.benchmarks.corpus import TRANSCRIPTS, corpus_files
from tests.benchmarks.large_project import LargeProject, build_large_project
from thematic_workbench.core.storage.store import ProjectStore


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --benchmark-disable, skip rather than build the corpus to run each target once."""
    if config.getoption("benchmark_disable") and not config.getoption("benchmark_enable"):
        skip = pytest.mark.skip(reason="benchmarks are disabled; run them with make bench")
        for item in items:
            if item.path.is_relative_to(Path(__file__).parent):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def corpus() -> list[Path]:
    """The .docx transcripts, generated once and cached under .benchmarks/corpus/."""
    return corpus_files(int(os.environ.get("BENCH_TRANSCRIPTS", TRANSCRIPTS)))


@pytest.fixture(scope="session")
def timings() -> dict[str, float]:
    """Means (seconds) one benchmark leaves for another to compare against."""
    return {}


@pytest.fixture(scope="session")
def large_project(corpus: list[Path], tmp_path_factory: pytest.TempPathFactory) -> LargeProject:
    """The large project, built once per session; benchmarks that write use a copy."""
    folder = tmp_path_factory.mktemp("large-project")
    return build_large_project(folder / "large.thematic", corpus)


@pytest.fixture
def large_store(large_project: LargeProject, tmp_path: Path) -> Iterator[ProjectStore]:
    """A fresh copy of the large project, open for writing."""
    copy = tmp_path / large_project.path.name
    shutil.copyfile(large_project.path, copy)
    with ProjectStore.open(copy) as store:
        yield store
