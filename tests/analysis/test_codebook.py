"""The codebook report model: board order, one row per place, counts, one fair example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.core.helpers_docs import add_document
from thematic_workbench.analysis.codebook import (
    EXAMPLE_MAX,
    build_codebook,
    placements_by_code,
    shorten,
)
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.queries.project import code_summaries, extracts_of_code
from thematic_workbench.core.services import codes, codings, themes
from thematic_workbench.core.storage.store import ProjectStore

CODER = "Ann Analyst"
CITATION = re.compile(r"^\[P[A-Z], lines? \d+(-\d+)?\]$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with a code in two emerging themes and one directly in a final theme."""
    project = build_demo(tmp_path_factory.mktemp("demo") / "demo.thematic")
    with ProjectStore.open(project) as store, store.transaction(CODER) as tx:
        themes.assign_code(tx, codes.find_code(tx, "Carrying it home").id,
                           themes.find_theme(tx, "Serving two masters").id, position=0)
        themes.assign_code(tx, codes.find_code(tx, "Trust built slowly").id,
                           themes.find_theme(tx, "Trust as slow, unglamorous work").id)
    return project


def model_of(project: Path):
    with ProjectStore.open(project, readonly=True) as store, store.read() as db:
        return build_codebook(db), code_summaries(db)


def test_rows_follow_the_board_and_a_code_has_a_row_per_place(demo):
    model, _summaries = model_of(demo)
    places = [(e.code, e.emerging_theme, e.final_theme) for e in model.entries]
    forced = "Dynamics of forced work: 'it can never be wholly collaborative'"
    trust = "Trust as slow, unglamorous work"
    assert places[:4] == [
        ('"can never be wholly collaborative"', "Honest about the frame", forced),
        ("Naming the coercion", "Honest about the frame", forced),
        ("Transparency about confidentiality limits", "Honest about the frame", forced),
        ("Carrying it home", "Serving two masters", forced)]
    assert ("Carrying it home", "Carrying the work", trust) in places
    assert places.index(("Trust built slowly", "", trust)) == places.index(
        ("Carrying it home", "Carrying the work", trust)) + 1  # after the emerging themes
    assert places[-2:] == [("Engagement outside the therapy room", "", ""),
                           ("Rupture after disclosure or reporting", "", "")]
    assert len(placements_by_code(model)[
        next(e.code_id for e in model.entries if e.code == "Carrying it home")]) == 2
    assert model.code_count == 17 and model.title


def test_counts_match_the_code_summaries(demo):
    model, summaries = model_of(demo)
    by_id = {s.id: s for s in summaries}
    for entry in model.entries:
        summary = by_id[entry.code_id]
        assert (entry.codings, entry.participants, entry.definition, entry.colour) == (
            summary.codings, summary.participants, summary.definition, summary.colour)


def test_the_example_is_the_first_extract_that_fits_with_its_citation(demo):
    model, _summaries = model_of(demo)
    with ProjectStore.open(demo, readonly=True) as store, store.read() as db:
        for entry in model.entries:
            extracts = extracts_of_code(db, entry.code_id)
            fitting = [x for x in extracts if x.end - x.start <= EXAMPLE_MAX]
            chosen = fitting[0] if fitting else min(extracts, key=lambda x: x.end - x.start)
            assert (entry.example, entry.citation) == (shorten(chosen.text), chosen.citation)
            assert CITATION.match(entry.citation)


def test_a_long_extract_is_shortened_and_an_unused_code_has_no_example(store):
    words = " ".join(f"word{index}" for index in range(200))
    with store.transaction(CODER) as tx:
        document = add_document(tx.session, "PA interview", f"PA: {words}\nPB: short one.")
        long_code = codes.create_code(tx, "Long").new_id("code")
        codes.create_code(tx, "Unused")
        codings.apply_coding(tx, document, long_code, 4, 4 + len(words))
    with store.read() as db:
        rows = {e.code: e for e in build_codebook(db).entries}
    assert rows["Long"].example.startswith("word0 word1") and rows["Long"].example.endswith("…")
    assert len(rows["Long"].example) <= EXAMPLE_MAX
    assert rows["Long"].citation.startswith("[PA interview, line")
    assert (rows["Unused"].example, rows["Unused"].citation, rows["Unused"].codings) == (
        "", "", 0)


def _statements(store: ProjectStore) -> int:
    seen: list[str] = []

    def count(*_args: object) -> None:
        seen.append("query")

    with store.read() as db:
        engine = db.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            build_codebook(db)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def _add_coded_codes(store: ProjectStore, document: int, theme: int, first: int,
                     count: int) -> None:
    with store.transaction(CODER) as tx:
        for index in range(first, first + count):
            code = codes.create_code(tx, f"Code {index}").new_id("code")
            codings.apply_coding(tx, document, code, index, index + 5)
            themes.assign_code(tx, code, theme)


def test_the_number_of_queries_does_not_grow_with_the_codes(store):
    with store.transaction(CODER) as tx:
        document = add_document(tx.session, "PA", "PA: " + "lorem ipsum " * 80)
        theme = themes.create_theme(tx, "Everything").new_id("theme")
    _add_coded_codes(store, document, theme, 0, 3)
    few = _statements(store)
    _add_coded_codes(store, document, theme, 3, 60)
    assert _statements(store) == few
