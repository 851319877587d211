"""Coding in the large project: one coding under 10 ms, a code's extracts under 50 ms."""

from __future__ import annotations

import itertools

from pytest_benchmark.fixture import BenchmarkFixture
from sqlalchemy import func, select

from tests.benchmarks.large_project import CODER, LargeProject
from thematic_workbench.core.queries.project import extracts_of_code
from thematic_workbench.core.services.codings import apply_coding
from thematic_workbench.core.storage.models import Coding, Document
from thematic_workbench.core.storage.store import ProjectStore

APPLY_TARGET_S = 0.010
EXTRACTS_TARGET_S = 0.050
SPAN = 240


def _document_without(store: ProjectStore, code_id: int) -> int:
    """A document the code has no codings in, so every benchmarked span is new."""
    with store.read() as session:
        coded = select(Coding.document_id).where(Coding.code_id == code_id)
        found = session.execute(select(func.min(Document.id))
                                .where(Document.id.not_in(coded))).scalar_one()
    assert found is not None, "the typical code is in every document; use a larger corpus"
    return found


def test_apply_one_coding(benchmark: BenchmarkFixture, large_store: ProjectStore,
                          large_project: LargeProject) -> None:
    """Open a transaction, apply one coding, commit: what one click in the GUI does."""
    code_id = large_project.typical_code_id
    document_id = _document_without(large_store, code_id)
    starts = itertools.count()

    def apply_one() -> None:
        start = next(starts)
        with large_store.transaction(CODER) as tx:
            apply_coding(tx, document_id, code_id, start, start + SPAN)

    benchmark.pedantic(apply_one, rounds=300, warmup_rounds=10, iterations=1)
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(codings_in_project=large_project.codings, mean_ms=mean * 1e3)
    print(f"\napply_coding in a {large_project.codings:,}-coding project: "
          f"{mean * 1e3:.2f} ms mean (target < {APPLY_TARGET_S * 1e3:.0f} ms)")
    with large_store.read() as session:
        added = session.execute(select(func.count()).select_from(Coding)
                                .where(Coding.document_id == document_id,
                                       Coding.code_id == code_id)).scalar_one()
    assert added == next(starts)
    assert mean < APPLY_TARGET_S


def test_extracts_of_code(benchmark: BenchmarkFixture, large_store: ProjectStore,
                          large_project: LargeProject) -> None:
    """A read session listing every extract of a code with about 100 codings."""
    code_id = large_project.typical_code_id

    def list_extracts() -> int:
        with large_store.read() as session:
            return len(extracts_of_code(session, code_id))

    found = benchmark.pedantic(list_extracts, rounds=100, warmup_rounds=3, iterations=1)
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(extracts=found, mean_ms=mean * 1e3)
    print(f"\nextracts_of_code, {found} extracts: {mean * 1e3:.2f} ms mean "
          f"(target < {EXTRACTS_TARGET_S * 1e3:.0f} ms)")
    assert found == large_project.typical_code_codings
    assert mean < EXTRACTS_TARGET_S
