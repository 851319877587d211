"""What durable commits cost: one coding with ``synchronous=NORMAL`` and with ``FULL``.

FULL syncs the write-ahead log at every commit, so a change the app has acknowledged
survives a power cut; NORMAL syncs only at checkpoints. The store uses FULL
(core/storage/store.py ``SYNCHRONOUS``) if one coding stays well under a click's budget with it.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from sqlalchemy import func, select, text

from tests.benchmarks.large_project import CODER, LargeProject
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.storage import store as store_module
from thematic_workbench.core.storage.models import Document
from thematic_workbench.core.storage.store import ProjectStore

CLICK_BUDGET_S = 0.010  # one coding, as in test_coding_speed.py
SPAN = 240


@pytest.mark.parametrize("mode", ["NORMAL", "FULL"])
def test_one_coding_per_synchronous_mode(
        benchmark: BenchmarkFixture, large_project: LargeProject, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, timings: dict[str, float], mode: str) -> None:
    monkeypatch.setattr(store_module, "SYNCHRONOUS", mode)
    copy = tmp_path / large_project.path.name
    shutil.copyfile(large_project.path, copy)
    starts = itertools.count()
    with ProjectStore.open(copy) as store:
        with store.transaction(CODER) as tx:
            setting = tx.session.execute(text("PRAGMA synchronous")).scalar_one()
        assert setting == {"NORMAL": 1, "FULL": 2}[mode]
        code_id = large_project.typical_code_id
        with store.read() as session:
            document_id = session.execute(select(func.min(Document.id))).scalar_one()

        def apply_one() -> None:
            start = next(starts)
            with store.transaction(CODER) as tx:
                apply_coding(tx, document_id, code_id, start, start + SPAN)

        benchmark.pedantic(apply_one, rounds=200, warmup_rounds=10, iterations=1)
    mean = benchmark.stats.stats.mean
    timings[f"synchronous {mode}"] = mean
    benchmark.extra_info.update(mode=mode, mean_ms=mean * 1e3)
    line = f"\none coding with synchronous={mode}: {mean * 1e3:.2f} ms mean"
    if mode == "FULL" and "synchronous NORMAL" in timings:
        extra = mean - timings["synchronous NORMAL"]
        line += f" ({extra * 1e3:+.2f} ms against NORMAL)"
    print(line)
    assert mean < CLICK_BUDGET_S
