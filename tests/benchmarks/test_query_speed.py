"""Coding queries on the large project (200 transcripts, 500 codes, 50,000 codings): under
1 s for an expression whose names cover every coding.

The project's codes are put into two emerging themes, half each, so that the query reads
and combines all 50,000 codings; the time is the whole of ``run_query``: parsing, reading
the codings, the algebra, quoting, who said each passage, line numbers and ordering.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture
from sqlalchemy import func, select

from tests.benchmarks.large_project import CODER, LargeProject
from thematic_workbench.core.finding.coding_query import QueryResult, run_query
from thematic_workbench.core.services.themes import create_theme
from thematic_workbench.core.storage.models import Code, Coding, ThemeMembership
from thematic_workbench.core.storage.store import ProjectStore

TARGET_S = 1.0
EXPRESSIONS = {
    "and": '"First half" AND "Second half"',
    "near": '"First half" NEAR/2 "Second half"',
    "or-not": '("First half" OR "Second half") NOT ("First half" AND "Second half")',
}


def _halves(store: ProjectStore) -> None:
    """Two emerging themes, each with half of the codes, in one bulk step."""
    with store.transaction(CODER) as tx:
        first = create_theme(tx, "First half").new_id("theme")
        second = create_theme(tx, "Second half").new_id("theme")
        code_ids = list(tx.session.execute(select(Code.id).order_by(Code.id)).scalars())
        middle = len(code_ids) // 2
        tx.session.execute(ThemeMembership.__table__.insert(), [
            {"theme_id": first if index < middle else second, "code_id": code_id,
             "position": index if index < middle else index - middle}
            for index, code_id in enumerate(code_ids)])


@pytest.mark.parametrize("kind", list(EXPRESSIONS))
def test_query_over_every_coding(benchmark: BenchmarkFixture, large_project: LargeProject,
                                 large_store: ProjectStore, kind: str) -> None:
    _halves(large_store)
    with large_store.read() as session:
        assert session.execute(select(func.count()).select_from(Coding)).scalar() == \
            large_project.codings

        def query() -> QueryResult:
            return run_query(session, EXPRESSIONS[kind])

        result = benchmark.pedantic(query, rounds=5, warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(mean_s=mean, passages=len(result.passages))
    print(f"\nquery {EXPRESSIONS[kind]} over {large_project.codings:,} codings: "
          f"{mean * 1000:.0f} ms mean, {len(result.passages):,} passages "
          f"(target < {TARGET_S:.0f} s)")
    assert result.passages
    assert mean < TARGET_S
