"""Correcting a transcript: every coding stays on its words (or is removed and listed),
lines keep their numbers, search follows, and undo restores text and codings exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.core.changes import Kind
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.finding.search import search_project
from thematic_workbench.core.services import annotations, codes, codings
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.services.text_edits import Replacement, edit_text, restore_text
from thematic_workbench.core.storage.audit import verify_chain
from thematic_workbench.core.storage.models import Annotation, Coding, Document, Line, Turn
from thematic_workbench.core.storage.store import ProjectStore

TEXT = ("INTERVIEWER: Who did you work with?\n"
        "PA: Mostly with Dr Smith at Rampton. He was kind.\n"
        "INTERVIEWER: And the client?\n"
        "PA: John never missed a session, not once in two years.\n")


def _state(store: ProjectStore, document_id: int) -> dict[str, Any]:
    with store.read() as session:
        return {
            "text": session.get(Document, document_id).text,  # type: ignore[union-attr]
            "codings": sorted(tuple(r) for r in session.execute(select(
                Coding.id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end,
                Coding.memo))),
            "notes": sorted(tuple(r) for r in session.execute(select(
                Annotation.id, Annotation.start, Annotation.end, Annotation.body))),
            "turns": sorted(tuple(r) for r in session.execute(select(
                Turn.id, Turn.start, Turn.end, Turn.speech_start))),
            "lines": sorted(tuple(r) for r in session.execute(select(
                Line.number, Line.start, Line.end))),
        }


def _words(store: ProjectStore) -> dict[int, str]:
    with store.read() as session:
        text = session.execute(select(Document.text)).scalar_one()
        return {cid: text[s:e] for cid, s, e in session.execute(
            select(Coding.id, Coding.start, Coding.end))}


@pytest.fixture
def study(store: ProjectStore) -> int:
    with store.transaction("Ana") as tx:
        document = import_document(tx, imported(TEXT)).new_id(Kind.DOCUMENT)
        for name, phrase in (("Colleagues", "Mostly with Dr Smith at Rampton"),
                             ("Named person", "Smith"), ("Kindness", "He was kind"),
                             ("Commitment", "John never missed a session")):
            code = codes.create_code(tx, name).new_id(Kind.CODE)
            start = TEXT.index(phrase)
            codings.apply_coding(tx, document, code, start, start + len(phrase))
        start = TEXT.index("Rampton")
        annotations.add_annotation(tx, document, start, start + 7, "a hospital")
    return document


def test_a_name_replaced_keeps_every_coding_on_its_words(store: ProjectStore,
                                                          study: int) -> None:
    before = _state(store, study)
    smith, john = TEXT.index("Smith"), TEXT.index("John")
    with store.transaction("Ana") as tx:
        change = edit_text(tx, study, [Replacement(smith, smith + 5, "P7"),
                                       Replacement(john, john + 4, "C1")])
    assert sorted(_words(store).values()) == [
        "C1 never missed a session", "He was kind", "Mostly with Dr P7 at Rampton", "P7"]
    after = _state(store, study)
    assert [n for n, *_ in after["lines"]] == [n for n, *_ in before["lines"]]
    with store.read() as session:
        assert search_project(session, "Smith") == []
        assert [h.match for h in search_project(session, "P7")] == ["P7"]
        note = session.execute(select(Annotation.start, Annotation.end)).one()
        assert after["text"][note[0]:note[1]] == "Rampton"
        assert verify_chain(session).intact

    with store.transaction("Ana") as tx:
        restore_text(tx, study, change.values_before(Kind.DOCUMENT, study))
    assert _state(store, study) == before


def test_words_deleted_take_their_coding_and_the_change_lists_it(store: ProjectStore,
                                                                 study: int) -> None:
    kind = TEXT.index(" He was kind.")
    before = _state(store, study)
    with store.transaction("Ana") as tx:
        change = edit_text(tx, study, [Replacement(kind, kind + len(" He was kind."), "")])
    assert "He was kind" not in _words(store).values()
    assert len(change.removed[Kind.CODING]) == 1
    with store.transaction("Ana") as tx:
        restore_text(tx, study, change.values_before(Kind.DOCUMENT, study))
    assert _state(store, study) == before


def test_overlapping_or_outside_spans_are_refused(store: ProjectStore, study: int) -> None:
    with store.transaction("Ana") as tx, pytest.raises(InvariantError, match="overlap"):
        edit_text(tx, study, [Replacement(10, 20, "x"), Replacement(15, 25, "y")])
    with store.transaction("Ana") as tx, pytest.raises(InvariantError, match="not inside"):
        edit_text(tx, study, [Replacement(10, 10_000, "x")])
    with store.transaction("Ana") as tx, pytest.raises(InvariantError, match="same as"):
        edit_text(tx, study, [Replacement(0, 3, TEXT[:3])])


EDITS = st.lists(st.tuples(st.integers(0, len(TEXT)), st.integers(0, 12),
                           st.sampled_from(["", "X", "P7", "new words", "\n", "a\nb"])),
                 min_size=1, max_size=4)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(EDITS)
def test_any_edits_keep_codings_on_their_words_and_undo_restores_all(
        tmp_path: Path, edits: list[tuple[int, int, str]]) -> None:
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "p.thematic"
    with ProjectStore.create(path, coder="Ana") as store:
        with store.transaction("Ana") as tx:
            document = import_document(tx, imported(TEXT)).new_id(Kind.DOCUMENT)
            for number, (start, length) in enumerate(((13, 20), (50, 5), (60, 30),
                                                      (0, len(TEXT) - 1))):
                code = codes.create_code(tx, f"code {number}").new_id(Kind.CODE)
                codings.apply_coding(tx, document, code, start, start + length)
        original = _state(store, document)
        done = []
        for start, length, new in edits:
            state = _state(store, document)
            text = state["text"]
            start = min(start, len(text))
            end = min(start + length, len(text))
            spans = {row[0]: (row[3], row[4]) for row in state["codings"]}
            try:
                with store.transaction("Ana") as tx:
                    change = edit_text(tx, document, [Replacement(start, end, new)])
            except InvariantError:
                continue
            done.append(change)
            now = _words(store)
            for coding_id, (s, e) in spans.items():
                if e <= start or s >= end:  # before or after the edit: the same words
                    expected = text[s:e]
                else:  # its own words on either side, and the new text between
                    expected = (text[s:start] if s < start else "") + new + \
                        (text[end:e] if e > end else "")
                if coding_id in change.removed.get(Kind.CODING, []):
                    assert expected == "" or expected in now.values()  # gone, or a twin's
                else:
                    assert now[coding_id] == expected
        for change in reversed(done):
            with store.transaction("Ana") as tx:
                restore_text(tx, document, change.values_before(Kind.DOCUMENT, document))
        assert _state(store, document) == original
        with store.read() as session:
            assert verify_chain(session).intact

