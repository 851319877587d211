"""The map of themes of a large study, 60 themes over 500 codes and 50,000 codings: the graph
built, laid out and drawn as a 300 dpi PNG in under a second; co-occurrence counted over
all 50,000 codings well within one.

The large project's codes are grouped first (10 final themes of 5 emerging themes each,
480 codes in them, 20 left over, a few links), through the same services the board uses.
Drawing on screen is benchmarked with the GUI; this covers what it and the figure share.
"""

from __future__ import annotations

import io
import random
import shutil
import time
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from sqlalchemy import select

from tests.benchmarks.large_project import CODER, LargeProject
from thematic_workbench.analysis.cooccurrence import code_cooccurrence
from thematic_workbench.analysis.map_layouts import hierarchical_layout
from thematic_workbench.analysis.theme_graph import STRONGEST_PAIRS, build_theme_graph, map_data
from thematic_workbench.core.services import themes
from thematic_workbench.core.storage.models import Code
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.io.map_figure import render_map

TARGET_S = 1.0
COOCCURRENCE_TARGET_S = {"overlap": 0.5, "turn": 1.0}  # turn: 68,000 turns too
FINALS, EMERGING_EACH, PLACED_CODES = 10, 5, 480


@pytest.fixture(scope="module")
def themed_project(large_project: LargeProject,
                   tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the large project with its codes grouped into 60 themes."""
    path = tmp_path_factory.mktemp("map") / "themed.thematic"
    shutil.copyfile(large_project.path, path)
    rng = random.Random(60)
    with ProjectStore.open(path) as store, store.transaction(CODER) as tx:
        code_ids = list(tx.session.execute(select(Code.id).order_by(Code.id)).scalars())
        rng.shuffle(code_ids)
        emerging: list[int] = []
        for f in range(FINALS):
            final = themes.create_theme(tx, f"Final theme {f + 1}: what holds the work",
                                        "final").new_id("theme")
            for e in range(EMERGING_EACH):
                emerging.append(themes.create_theme(
                    tx, f"Emerging theme {f + 1}.{e + 1} about care", parent_id=final
                ).new_id("theme"))
        for n, code_id in enumerate(code_ids[:PLACED_CODES]):
            themes.assign_code(tx, code_id, emerging[n % len(emerging)])
        for n in range(0, len(emerging) - 7, 7):
            themes.link_themes(tx, emerging[n], emerging[n + 7], label="tension with")
    return path


def _map_png(store: ProjectStore, cooccurrence: str | None = None) -> int:
    with store.read() as session:
        graph = build_theme_graph(session, include_codes=True, cooccurrence=cooccurrence,
                                  strongest=STRONGEST_PAIRS)  # as the app and the figure do
    positions = hierarchical_layout(graph)
    buffer = io.BytesIO()
    render_map(map_data(graph), positions, buffer, "png")
    return len(graph)


@pytest.mark.parametrize("cooccurrence", [None, "overlap"])
def test_map_of_60_themes_and_500_codes(benchmark: BenchmarkFixture, themed_project: Path,
                                        cooccurrence: str | None) -> None:
    """With co-occurrence: the 150 pairs of codes applied together most often."""
    with ProjectStore.open(themed_project, readonly=True) as store:
        steps = _steps(store)
        nodes = benchmark.pedantic(_map_png, args=(store, cooccurrence), rounds=10,
                                   warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(nodes=nodes, mean_s=round(mean, 3), **steps)
    what = "with co-occurrence" if cooccurrence else "without co-occurrence"
    print(f"\nmap of {nodes} nodes (60 themes, 500 codes) {what}: graph + layout + 300 dpi "
          f"PNG {mean * 1e3:.0f} ms mean (target < {TARGET_S * 1e3:.0f} ms); without, "
          "step by step once: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in steps.items()))
    assert nodes == 560
    if cooccurrence is None:  # the target; co-occurrence (off by default) adds its query
        assert mean < TARGET_S


def _steps(store: ProjectStore) -> dict[str, float]:
    """Each step timed once, to say where the time goes."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    with store.read() as session:
        graph = build_theme_graph(session, include_codes=True, cooccurrence=None)
    times["graph_ms"] = (time.perf_counter() - start) * 1e3
    start = time.perf_counter()
    positions = hierarchical_layout(graph)
    times["layout_ms"] = (time.perf_counter() - start) * 1e3
    start = time.perf_counter()
    render_map(map_data(graph), positions, io.BytesIO(), "png")
    times["figure_ms"] = (time.perf_counter() - start) * 1e3
    return {name: round(ms, 1) for name, ms in times.items()}


@pytest.mark.parametrize("mode", ["overlap", "turn"])
def test_cooccurrence_of_50000_codings(benchmark: BenchmarkFixture, themed_project: Path,
                                       mode: str) -> None:
    with ProjectStore.open(themed_project, readonly=True) as store:
        def count() -> int:
            with store.read() as session:
                return len(code_cooccurrence(session, mode))

        pairs = benchmark.pedantic(count, rounds=5, warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(pairs=pairs, mean_s=round(mean, 3))
    print(f"\nco-occurrence by {mode} over 50,000 codings: {pairs} pairs, {mean * 1e3:.0f} ms "
          f"mean (target < {COOCCURRENCE_TARGET_S[mode] * 1e3:.0f} ms)")
    assert pairs > 1000
    assert mean < COOCCURRENCE_TARGET_S[mode]
