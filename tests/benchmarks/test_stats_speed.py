"""``stats`` on the large project (200 transcripts, 500 codes, 50,000 codings): under 2 s,
both the counting (``project_stats``) and the whole ``stats --json`` verb."""

from __future__ import annotations

import argparse
import contextlib
import io
import json

from pytest_benchmark.fixture import BenchmarkFixture

from tests.benchmarks.large_project import LargeProject
from thematic_workbench.analysis.stats import project_stats
from thematic_workbench.cli.stats import cmd_stats
from thematic_workbench.core.storage.store import ProjectStore

TARGET_S = 2.0


def test_project_stats(benchmark: BenchmarkFixture, large_project: LargeProject) -> None:
    """Every count of the verb in one read session: codes, participants, attributes,
    co-occurrence in both modes, coverage with line numbers."""
    with ProjectStore.open(large_project.path, readonly=True) as store:
        def count() -> dict[str, object]:
            with store.read() as session:
                return project_stats(session)

        data = benchmark.pedantic(count, rounds=5, warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(mean_s=mean)
    print(f"\nproject_stats, {large_project.codings:,} codings: {mean:.2f} s mean "
          f"(target < {TARGET_S:.0f} s)")
    assert data["totals"]["codings"] == large_project.codings  # type: ignore[index]
    assert len(data["coverage"]) == large_project.documents  # type: ignore[arg-type]
    assert mean < TARGET_S


def test_stats_verb_as_json(benchmark: BenchmarkFixture, large_project: LargeProject) -> None:
    """What a script waits for: open the project, count, print the JSON."""
    args = argparse.Namespace(project=str(large_project.path), json=True, attribute=None)

    def run() -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cmd_stats(args) == 0
        return out.getvalue()

    text = benchmark.pedantic(run, rounds=3, warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(mean_s=mean, json_bytes=len(text))
    print(f"\nstats --json: {mean:.2f} s mean, {len(text) / 1e6:.1f} MB "
          f"(target < {TARGET_S:.0f} s)")
    assert json.loads(text)["totals"]["codes"] == large_project.codes
    assert mean < TARGET_S
