"""Importing a large table of attributes: 1,000 participants × 4 attributes, and reading
the sheet back. No target in the issue; the figures guard against a slide back to the
one-event-per-value import (16 s for this table)."""

from __future__ import annotations

import itertools
from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from thematic_workbench.core.queries.participant_sheet import participant_sheet
from thematic_workbench.core.services.attribute_table import (
    AttributeTable,
    TableRow,
    apply_attribute_table,
)
from thematic_workbench.core.storage.store import ProjectStore

PARTICIPANTS = 1_000
TARGET_S = 5.0


def _table(round_number: int) -> AttributeTable:
    rows = tuple(TableRow(i + 2, f"R{round_number}-P{i}",
                          (str(i % 40), ("female", "male")[i % 2],
                           f"2024-01-{1 + i % 28:02d}", f"role {i % 13}"))
                 for i in range(PARTICIPANTS))
    return AttributeTable("big.csv", ("years", "gender", "interviewed", "role"), rows)


def test_import_1000_participants(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    store = ProjectStore.create(tmp_path / "big.thematic", "Attributes")
    rounds = itertools.count(1)
    try:
        def import_once() -> None:
            with store.transaction("bench") as tx:
                apply_attribute_table(tx, _table(next(rounds)))

        benchmark.pedantic(import_once, rounds=3, iterations=1)
        assert benchmark.stats.stats.mean < TARGET_S
        with store.read() as session:
            assert len(participant_sheet(session).participants) == 3 * PARTICIPANTS
    finally:
        store.close()
