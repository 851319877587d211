"""Word frequencies on the large project (200 transcripts, about 2 M words): the count the
window and ``words`` run, with and without word forms, leaving out the interviewer."""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from tests.benchmarks.large_project import LargeProject
from thematic_workbench.analysis.word_frequency import BY_PARTICIPANT, word_frequencies
from thematic_workbench.core.scope import Scope
from thematic_workbench.core.store import ProjectStore

TARGET_S = 2.0  # the window counts on a worker thread; a script should not wait longer
NOT_INTERVIEWER = Scope(not_speakers=frozenset({"Interviewer"}))


@pytest.mark.parametrize(("forms", "by"), [(False, None), (True, None),
                                           (True, BY_PARTICIPANT)])
def test_word_frequencies(benchmark: BenchmarkFixture, large_project: LargeProject,
                          forms: bool, by: str | None) -> None:
    with ProjectStore.open(large_project.path, readonly=True) as store:
        def count() -> object:
            with store.read() as session:
                return word_frequencies(session, NOT_INTERVIEWER, top=100, forms=forms, by=by)

        result = benchmark.pedantic(count, rounds=3, warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(mean_s=mean, words=result.total)  # type: ignore[attr-defined]
    print(f"\nword frequencies (forms={forms}, by={by}) over {result.total:,} words "  # type: ignore[attr-defined]
          f"counted: {mean:.2f} s mean (target < {TARGET_S:.0f} s)")
    assert result.documents == large_project.documents  # type: ignore[attr-defined]
    assert len(result.words) == 100  # type: ignore[attr-defined]
    assert mean < TARGET_S
