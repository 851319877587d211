"""Finding identifier candidates in the large project (200 transcripts, about 3.5 million
words): under 10 s, what ``identifiers`` and the review list wait for.

The synthetic transcripts name nobody, so a key of 100 entries is passed in, made of
phrases the transcripts say often ("the rota", "my line manager"): the second reading then
finds and places tens of thousands of occurrences, as a real key over a real study would.
"""

from __future__ import annotations

from pytest_benchmark.fixture import BenchmarkFixture

from tests.benchmarks.large_project import LargeProject
from tests.benchmarks.phrases import OBJECTS, SUBJECTS, TOPICS
from thematic_workbench.core.finding.identifiers import KEY, IdentifierCandidate, find_identifiers
from thematic_workbench.core.records.pseudonyms import PseudonymEntry
from thematic_workbench.core.storage.store import ProjectStore

TARGET_S = 10.0
KEY_ENTRIES = 100


def _key() -> list[PseudonymEntry]:
    phrases = sorted({*OBJECTS, *SUBJECTS, *TOPICS})
    words = sorted({word for phrase in phrases for word in phrase.split() if len(word) > 5})
    reals = (phrases + words)[:KEY_ENTRIES]
    assert len(reals) == KEY_ENTRIES
    return [PseudonymEntry(real, f"Pseudonym {index}", "other")
            for index, real in enumerate(reals)]


def test_find_identifiers(benchmark: BenchmarkFixture, large_project: LargeProject) -> None:
    key = _key()
    with ProjectStore.open(large_project.path, readonly=True) as store:
        def find() -> list[IdentifierCandidate]:
            with store.read() as session:
                return find_identifiers(session, key)

        found = benchmark.pedantic(find, rounds=3, warmup_rounds=1, iterations=1)
    mean = benchmark.stats.stats.mean
    occurrences = sum(candidate.count for candidate in found)
    benchmark.extra_info.update(mean_s=mean, candidates=len(found), occurrences=occurrences)
    print(f"\nidentifier candidates in {large_project.documents} transcripts with a "
          f"{KEY_ENTRIES}-entry key: {len(found)} candidates, {occurrences:,} occurrences, "
          f"{mean:.2f} s mean (target < {TARGET_S:.0f} s)")
    # the synthetic transcripts name nobody: every candidate is one of the key's strings
    assert {candidate.source for candidate in found} == {KEY}
    assert len(found) > KEY_ENTRIES // 2
    assert all(candidate.count == len(candidate.positions) > 0 for candidate in found)
    assert mean < TARGET_S
