"""Coded segments on the large project (200 transcripts, 500 codes, 50,000 codings): every
coding as a row, and the count the export dialog shows as its filters change.

The rows are the whole of ``coded_segments``: the codings with their lines, who said each,
the quotes without speaker labels, the themes and the order. The count runs on the GUI
thread whenever a filter changes, so it must stay well under a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from tests.benchmarks.large_project import LargeProject
from thematic_workbench.analysis.coded_segments import (
    SegmentFilter,
    coded_segments,
    count_segments,
)
from thematic_workbench.core.reports.coded_segments import CodedSegment
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.segments_files import write_segments

ROWS_TARGET_S = 4.0
COUNT_TARGET_S = 0.3
WRITE_TARGET_S = 60.0  # every coding to a file, on the worker: a minute at most


def test_every_coding_as_a_row(benchmark: BenchmarkFixture, large_project: LargeProject,
                               tmp_path: Path) -> None:
    with ProjectStore.open(large_project.path, readonly=True) as store, \
            store.read() as session:
        def rows() -> list[CodedSegment]:
            return coded_segments(session)

        found = benchmark.pedantic(rows, rounds=3, warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    assert len(found) == large_project.codings
    written = write_segments(found, tmp_path / "segments.csv")
    print(f"\ncoded segments of {large_project.codings:,} codings: {mean * 1000:.0f} ms mean "
          f"(target < {ROWS_TARGET_S:.0f} s); {written:,} rows written")
    assert mean < ROWS_TARGET_S


def test_the_dialog_count(benchmark: BenchmarkFixture, large_project: LargeProject) -> None:
    with ProjectStore.open(large_project.path, readonly=True) as store, \
            store.read() as session:
        def count() -> int:
            return count_segments(session, SegmentFilter())

        found = benchmark.pedantic(count, rounds=5, warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    print(f"\ncount of {large_project.codings:,} codings: {mean * 1000:.0f} ms mean "
          f"(target < {COUNT_TARGET_S * 1000:.0f} ms)")
    assert found == large_project.codings
    assert mean < COUNT_TARGET_S


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".docx"])
def test_every_coding_to_a_file(benchmark: BenchmarkFixture, large_project: LargeProject,
                                tmp_path: Path, suffix: str) -> None:
    with ProjectStore.open(large_project.path, readonly=True) as store, \
            store.read() as session:
        found = coded_segments(session)
    target = tmp_path / f"segments{suffix}"

    def write() -> int:
        return write_segments(found, target)

    written = benchmark.pedantic(write, rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    print(f"\n{written:,} coded segments as {suffix}: {mean:.1f} s "
          f"(target < {WRITE_TARGET_S:.0f} s)")
    assert written == large_project.codings
    assert mean < WRITE_TARGET_S
