"""Agreement between two coders: NVivo's coding comparison and Krippendorff's alpha, checked
against cases worked by hand and against nltk's AnnotationTask."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask

from tests.core.helpers_docs import imported
from thematic_workbench.analysis.agreement import (
    Counts,
    coders_with_codings,
    compare_coders,
    count,
    disagreements,
    excerpt,
    minus,
    table_rows,
    union,
)
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.store import ProjectStore

TEXT = "abcd " * 200  # 1,000 characters, wrapped into 13 lines of at most 80
OTHER = "Another transcript, coded by one coder only.\nIt has two lines."


def code(store: ProjectStore, coder: str, document_id: int, code_id: int,
         *spans: tuple[int, int]) -> None:
    with store.transaction(coder) as tx:
        for start, end in spans:
            codings.apply_coding(tx, document_id, code_id, start, end)


@pytest.fixture
def ids(store: ProjectStore) -> dict[str, int]:
    """Two coders, alice and bob, on one 1,000-character transcript; carol alone on another."""
    with store.transaction("alice") as tx:
        found = {
            "doc": import_document(tx, imported(TEXT, "PA interview"), "PA").new_id("document"),
            "other": import_document(tx, imported(OTHER, "PB interview"), "PB")
            .new_id("document"),
        }
        for key, name in (("care", "Care"), ("risk", "Risk"), ("idle", "Idle")):
            found[key] = codes.create_code(tx, name).new_id("code")
    return found


# -- the statistics, worked by hand ------------------------------------------------------------
def test_nvivo_worked_example_gives_85_percent() -> None:
    # NVivo's help: 1,000 characters, 50 coded by both, 150 by only one, 800 by neither.
    # Split the 150 as 100 by the first coder and 50 by the second:
    # Po = (50 + 800) / 1000 = 0.85
    # coder 1 coded 150, coder 2 coded 100: Pe = 0.15 * 0.10 + 0.85 * 0.90 = 0.015 + 0.765
    #   = 0.78; kappa = (0.85 - 0.78) / (1 - 0.78) = 0.07 / 0.22 = 7/22 = 0.3182
    # alpha: n = 2000 values, n1 = 2*50 + 150 = 250 "coded", n0 = 2*800 + 150 = 1750;
    #   alpha = 1 - (n - 1)(B + C) / (n0 n1) = 1 - 1999 * 150 / (1750 * 250) = 2753/8750
    counts = Counts(both=50, only_a=100, only_b=50, neither=800)
    assert counts.units == 1000
    assert counts.agreement == pytest.approx(0.85)
    assert counts.chance == pytest.approx(0.78)
    assert counts.kappa == pytest.approx(7 / 22)
    assert counts.alpha == pytest.approx(2753 / 8750)
    assert not counts.degenerate


def test_equal_shares_bring_kappa_close_to_alpha() -> None:
    # 75 by each alone: Pe = 0.125^2 + 0.875^2 = 0.78125; kappa = 0.06875 / 0.21875 = 11/35.
    # alpha has the same n0, n1 and B + C as above: 2753/8750 (0.31463 vs 0.31429).
    counts = Counts(50, 75, 75, 800)
    assert counts.agreement == pytest.approx(0.85)
    assert counts.kappa == pytest.approx(11 / 35)
    assert counts.alpha == pytest.approx(2753 / 8750)


def test_complete_disagreement_is_negative() -> None:
    # 10 characters, the first coder codes 0-5, the second 5-10: Po = 0, Pe = .25 + .25 = .5,
    # kappa = -0.5 / 0.5 = -1; alpha = 1 - 19 * 10 / (10 * 10) = -0.9.
    counts = Counts(0, 5, 5, 0)
    assert counts.kappa == pytest.approx(-1.0)
    assert counts.alpha == pytest.approx(-0.9)


@pytest.mark.parametrize("counts", [Counts(0, 0, 0, 400), Counts(400, 0, 0, 0)],
                         ids=["neither coded", "both coded everything"])
def test_chance_agreement_of_one_gives_kappa_one_as_nvivo_reports(counts: Counts) -> None:
    # Po = Pe = 1: the definition is 0/0. NVivo reports kappa = 1 ("complete agreement").
    assert counts.chance == 1.0 and counts.agreement == 1.0
    assert counts.degenerate
    assert counts.kappa == 1.0
    assert counts.alpha == 1.0  # one value only: 0/0 for alpha too, reported as 1


# -- interval arithmetic -------------------------------------------------------------------------
def test_union_counts_a_character_once_and_joins_touching_spans() -> None:
    assert union([(50, 150), (0, 100), (150, 160), (200, 210)]) == [(0, 160), (200, 210)]


def test_minus_leaves_maximal_spans() -> None:
    assert minus([(0, 100)], [(10, 20), (15, 30), (90, 120)]) == [(0, 10), (30, 90)]
    assert minus([(0, 10), (20, 30)], []) == [(0, 10), (20, 30)]
    assert minus([(0, 10)], [(0, 10)]) == []


def test_overlapping_codings_by_one_coder_count_once() -> None:
    # alice: 0-100 and 50-150 (union 0-150, 150 characters); bob: 100-200.
    assert count(1000, [(0, 100), (50, 150)], [(100, 200)]) == Counts(50, 100, 50, 800)


def labels(length: int, spans: list[tuple[int, int]]) -> list[int]:
    """The slow, obvious way: one label per character."""
    marks = [0] * length
    for start, end in spans:
        for i in range(start, end):
            marks[i] = 1
    return marks


def spans_in(length: int) -> st.SearchStrategy[list[tuple[int, int]]]:
    pair = st.tuples(st.integers(0, length - 1), st.integers(1, length)) \
        .map(sorted).filter(lambda p: p[0] < p[1]).map(tuple)
    return st.lists(pair, max_size=5)


@st.composite
def cases(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[tuple[int, int]]]:
    length = draw(st.integers(1, 60))
    return length, draw(spans_in(length)), draw(spans_in(length))


@settings(max_examples=150, deadline=None)
@given(cases())
def test_counts_kappa_and_alpha_match_nltk(case) -> None:
    length, spans_a, spans_b = case
    first, second = labels(length, spans_a), labels(length, spans_b)
    counts = count(length, spans_a, spans_b)
    pairs = list(zip(first, second, strict=True))
    assert counts == Counts(pairs.count((1, 1)), pairs.count((1, 0)), pairs.count((0, 1)),
                            pairs.count((0, 0)))
    task = AnnotationTask([("a", i, v) for i, v in enumerate(first)]
                          + [("b", i, v) for i, v in enumerate(second)])
    assert counts.agreement == pytest.approx(task.avg_Ao())
    assert counts.alpha == pytest.approx(task.alpha())
    if counts.degenerate:
        # nltk 3.10 returns 1 where Pe = 1 and Po = 1, as NVivo does; older releases raise
        # ZeroDivisionError. Our 1 is checked in the test above.
        with contextlib.suppress(ZeroDivisionError):
            assert task.kappa() == 1.0
    else:
        assert counts.kappa == pytest.approx(task.kappa())


def test_a_code_nobody_used_is_perfect_agreement_for_nltk_too() -> None:
    # The one place the definitions give 0/0: every unit has the same value. nltk returns
    # alpha 1 there ("only one annotation value"), as we do. We leave such a (code,
    # document) out of the rows, and count it: see test_absent_codes_are_counted_not_listed.
    task = AnnotationTask([(c, i, 0) for c in "ab" for i in range(400)])
    assert task.alpha() == 1
    assert Counts(0, 0, 0, 400).alpha == 1.0
    assert Counts(0, 0, 0, 400).kappa == 1.0


# -- through the project ----------------------------------------------------------------------
def test_the_worked_example_from_the_database(store: ProjectStore, ids: dict[str, int]) -> None:
    code(store, "alice", ids["doc"], ids["care"], (0, 100), (50, 150))  # overlapping, once
    code(store, "bob", ids["doc"], ids["care"], (100, 200))
    code(store, "alice", ids["doc"], ids["risk"], (500, 600))
    code(store, "bob", ids["doc"], ids["risk"], (500, 600))
    with store.read() as session:
        result = compare_coders(session, "alice", "bob")
    care, risk = result.rows
    assert (care.code, care.document, care.participant) == ("Care", "PA interview", "PA")
    assert care.counts == Counts(50, 100, 50, 800)
    assert care.agreement == pytest.approx(0.85)
    assert care.kappa == pytest.approx(7 / 22)
    assert care.alpha == pytest.approx(2753 / 8750)
    assert risk.counts == Counts(100, 0, 0, 900) and risk.kappa == 1.0
    assert [s.code for s in result.summaries] == ["Care", "Risk"]
    assert [d.name for d in result.documents] == ["PA interview"]


def test_absent_codes_are_counted_not_listed(store: ProjectStore, ids: dict[str, int]) -> None:
    code(store, "alice", ids["doc"], ids["care"], (0, 10))
    code(store, "bob", ids["doc"], ids["care"], (0, 20))
    with store.read() as session:
        result = compare_coders(session, "alice", "bob")
    assert [row.code for row in result.rows] == ["Care"]
    # Risk and Idle: neither coder used them in the one compared document.
    assert result.codes_compared == 3 and result.absent_pairs == 2


def test_a_document_one_coder_coded_is_listed_apart(store: ProjectStore,
                                                    ids: dict[str, int]) -> None:
    code(store, "alice", ids["doc"], ids["care"], (0, 10))
    code(store, "bob", ids["doc"], ids["risk"], (0, 10))
    code(store, "bob", ids["other"], ids["care"], (0, 7))
    with store.read() as session:
        result = compare_coders(session, "alice", "bob")
        assert coders_with_codings(session) == ["alice", "bob"]
    assert [(d.name, d.coder) for d in result.one_coder] == [("PB interview", "bob")]
    assert {row.document for row in result.rows} == {"PA interview"}
    # bob coded the document, not with Care: his "no" is a decision, so Care disagrees.
    care = next(row for row in result.rows if row.code_id == ids["care"])
    assert care.counts == Counts(0, 10, 0, 990)


def test_summary_pools_counts_and_gives_nvivo_average(store: ProjectStore,
                                                      ids: dict[str, int]) -> None:
    with store.transaction("alice") as tx:
        twin = import_document(tx, imported(TEXT, "PC interview"), "PC").new_id("document")
    code(store, "alice", ids["doc"], ids["care"], (0, 150))
    code(store, "bob", ids["doc"], ids["care"], (100, 200))
    code(store, "alice", twin, ids["care"], (0, 100))
    code(store, "bob", twin, ids["care"], (0, 100))
    with store.read() as session:
        summary = compare_coders(session, "alice", "bob", code_ids=[ids["care"]]).summaries[0]
    # pooled: A = 150, B = 100, C = 50, D = 1700 over 2,000 characters.
    # Po = 1850/2000 = .925; Pe = (250/2000)(200/2000) + (1750/2000)(1800/2000) = .0125 + .7875
    #   = .8; kappa = .125 / .2 = .625. NVivo's average: (1000 * 7/22 + 1000 * 1) / 2000.
    assert summary.counts == Counts(150, 100, 50, 1700)
    assert summary.agreement == pytest.approx(0.925)
    assert summary.kappa == pytest.approx(0.625)
    assert summary.kappa_average == pytest.approx((7 / 22 + 1) / 2)
    assert (summary.documents, summary.absent_documents) == (2, 0)


def test_filters_and_unknown_names(store: ProjectStore, ids: dict[str, int]) -> None:
    code(store, "alice", ids["doc"], ids["care"], (0, 10))
    code(store, "bob", ids["doc"], ids["risk"], (0, 10))
    with store.read() as session:
        only = compare_coders(session, "alice", "bob", code_ids=[ids["risk"]],
                              document_ids=[ids["doc"]])
        assert [row.code for row in only.rows] == ["Risk"]
        with pytest.raises(NotFoundError, match="no coders named 'zoe', 'yan'"):
            compare_coders(session, "zoe", "yan")
        with pytest.raises(NotFoundError, match="no coder named 'zoe'"):
            compare_coders(session, "alice", "zoe")
        with pytest.raises(InvariantError, match="two different coders"):
            compare_coders(session, "alice", "alice")
        with pytest.raises(NotFoundError, match="no document with id 999"):
            compare_coders(session, "alice", "bob", document_ids=[999])


def test_disagreements_are_maximal_spans_with_coder_and_lines(store: ProjectStore,
                                                             ids: dict[str, int]) -> None:
    code(store, "alice", ids["doc"], ids["care"], (0, 100), (50, 150))
    code(store, "bob", ids["doc"], ids["care"], (100, 200), (180, 260))
    with store.read() as session:
        passages = disagreements(session, "alice", "bob", ids["care"], ids["doc"])
    assert [(p.start, p.end, p.coder) for p in passages] == \
        [(0, 100, "alice"), (150, 260, "bob")]
    # lines of 80 characters ("abcd " * 16): 0-100 is lines 1-2, 150-260 lines 2-4.
    assert [(p.first_line, p.last_line) for p in passages] == [(1, 2), (2, 4)]
    assert passages[0].excerpt == TEXT[0:100].strip()
    assert passages[1].characters == 110


def test_excerpt_is_one_line_and_shortened_in_the_middle() -> None:
    assert excerpt("a\n b  c") == "a b c"
    long = excerpt("x" * 200 + " " + "y" * 200, limit=41)
    assert long.startswith("x" * 19) and long.endswith("y" * 19) and " … " in long


def test_table_rows_name_the_coders(store: ProjectStore, ids: dict[str, int]) -> None:
    code(store, "alice", ids["doc"], ids["care"], (0, 150))
    code(store, "bob", ids["doc"], ids["care"], (100, 200))
    with store.read() as session:
        headers, rows = table_rows(compare_coders(session, "alice", "bob"))
    assert "coded by alice only" in headers and "coded by bob only" in headers
    assert rows[0][:9] == ["Care", "PA interview", "PA", 1000, 50, 100, 50, 800, 85.0]
    assert rows[1][1] == "All compared documents (1)" and math.isclose(rows[1][-1], 7 / 22,
                                                                            abs_tol=1e-4)
