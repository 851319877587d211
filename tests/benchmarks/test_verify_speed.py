"""What a full check of the audit trail costs in the large project (~51,000 events).

``audit --verify`` and the window's "Verify trail" recompute every hash, check the events'
time order, a supervisor's signed sign-off and this machine's witness records. It runs on a
worker thread in the window; the target keeps it within a researcher's patience: 3 s.
"""

from __future__ import annotations

from pytest_benchmark.fixture import BenchmarkFixture

from tests.benchmarks.large_project import CODER, LargeProject
from thematic_workbench.core.services import coders, review
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.trail.trail_verify import TrailReport, verify_trail

VERIFY_TARGET_S = 3.0


def test_verify_the_whole_trail(benchmark: BenchmarkFixture, large_store: ProjectStore,
                                large_project: LargeProject) -> None:
    with large_store.transaction(CODER) as tx:
        coders.set_coder_role(tx, "Supervisor", "supervisor")
    with large_store.transaction("Supervisor") as tx:
        review.sign_off_phase(tx, 1, "familiarisation checked")
        head = tx.audit_writer.head[0]

    def verify() -> TrailReport:
        with large_store.read() as session:
            return verify_trail(session, large_store.path)

    report = benchmark.pedantic(verify, rounds=5, warmup_rounds=1, iterations=1)
    assert report.intact, report.describe()
    assert report.events == head and len(report.anchors) == 1
    mean = benchmark.stats.stats.mean
    benchmark.extra_info.update(events=report.events, mean_s=mean)
    print(f"\nverify_trail over {report.events:,} events with 1 signed anchor: "
          f"{mean:.2f} s mean (target < {VERIFY_TARGET_S:.0f} s)")
    assert mean < VERIFY_TARGET_S
