"""Codings by span, by line range and by exact match; removal trims across spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import Coding
from thematic_workbench.core.storage.store import ProjectStore

TEXT = ("Interviewer: What is it like?\n"
        "PA: They are sent to me. 🙂 Naïve ideas of trust go quickly.\n"
        "Interviewer: And then?\n"
        "PA: Then, slowly, something like an alliance.")


@pytest.fixture
def coded(store: ProjectStore) -> tuple[ProjectStore, int, int]:
    with store.transaction("alice") as tx:
        doc = import_document(tx, imported(TEXT)).new_id("document")
        code = codes.create_code(tx, "Trust").new_id("code")
    return store, doc, code


def _spans(store: ProjectStore) -> list[tuple[int, int]]:
    with store.read() as session:
        return sorted((s, e) for s, e in session.execute(select(Coding.start, Coding.end)))


def test_match_uses_code_points(coded: tuple[ProjectStore, int, int]) -> None:
    store, doc, code = coded
    with store.transaction("alice") as tx:
        codings.code_match(tx, doc, code, "Naïve ideas of trust", memo="after the emoji")
    start = TEXT.index("Naïve")
    assert _spans(store) == [(start, start + len("Naïve ideas of trust"))]
    with store.read() as session:
        assert session.execute(select(Coding.memo)).scalar_one() == "after the emoji"


def test_match_absent_or_repeated_is_refused(coded: tuple[ProjectStore, int, int]) -> None:
    store, doc, code = coded
    with pytest.raises(InvariantError, match="is not in"), store.transaction("a") as tx:
        codings.code_match(tx, doc, code, "wholly collaborative")
    with pytest.raises(InvariantError, match="occurs 2 times"), store.transaction("a") as tx:
        codings.code_match(tx, doc, code, "Interviewer:")
    assert _spans(store) == []


def test_lines_and_spans(coded: tuple[ProjectStore, int, int]) -> None:
    store, doc, code = coded
    with store.transaction("alice") as tx:
        codings.code_lines(tx, doc, code, 2, 3)
        codings.apply_coding(tx, doc, code, 0, 5)
    line2 = TEXT.index("PA:")
    assert _spans(store) == [(0, 5), (line2, TEXT.index("And then?") + len("And then?"))]
    with pytest.raises(InvariantError, match="outside the document"), \
            store.transaction("a") as tx:
        codings.code_lines(tx, doc, code, 3, 9)
    with pytest.raises(InvariantError, match="not inside the text"), \
            store.transaction("a") as tx:
        codings.apply_coding(tx, doc, code, 10, len(TEXT) + 1)
    with pytest.raises(InvariantError, match="already coded"), store.transaction("alice") as tx:
        codings.apply_coding(tx, doc, code, 0, 5)


def test_uncode_trims_a_coding_into_the_parts_outside(
        coded: tuple[ProjectStore, int, int]) -> None:
    store, doc, code = coded
    with store.transaction("alice") as tx:
        codings.apply_coding(tx, doc, code, 10, 40, memo="kept")
        codings.uncode_span(tx, doc, code, 20, 25)
    assert _spans(store) == [(10, 20), (25, 40)]
    with store.read() as session:
        assert set(session.execute(select(Coding.memo)).scalars()) == {"kept"}
    with pytest.raises(InvariantError, match="by bob"), store.transaction("bob") as tx:
        codings.uncode_span(tx, doc, code, 10, 40)


@settings(max_examples=60, deadline=None)
@given(coding=st.tuples(st.integers(0, 60), st.integers(1, 30)),
       removal=st.tuples(st.integers(0, 60), st.integers(1, 30)))
def test_uncode_removes_exactly_the_chosen_characters(
        tmp_path_factory: pytest.TempPathFactory,
        coding: tuple[int, int], removal: tuple[int, int]) -> None:
    """Coded characters after uncoding = coded characters before, minus the removed span."""
    path = tmp_path_factory.mktemp("uncode") / "p.thematic"
    store = ProjectStore.create(path)
    try:
        with store.transaction("alice") as tx:
            doc = import_document(tx, imported(TEXT)).new_id("document")
            code = codes.create_code(tx, "X").new_id("code")
            a, b = coding[0], coding[0] + coding[1]
            r0, r1 = removal[0], removal[0] + removal[1]
            codings.apply_coding(tx, doc, code, a, b)
        try:
            with store.transaction("alice") as tx:
                codings.uncode_span(tx, doc, code, r0, r1)
        except InvariantError:
            assert b <= r0 or r1 <= a  # nothing overlapped
            return
        covered = {i for s, e in _spans(store) for i in range(s, e)}
        assert covered == set(range(a, b)) - set(range(r0, r1))
    finally:
        store.close()


def test_uncode_does_not_duplicate_a_piece_that_exists(
        coded: tuple[ProjectStore, int, int]) -> None:
    store, doc, code = coded
    with store.transaction("alice") as tx:
        codings.apply_coding(tx, doc, code, 0, 10)
        codings.apply_coding(tx, doc, code, 0, 5)
        codings.uncode_span(tx, doc, code, 5, 10)
    assert _spans(store) == [(0, 5)]
