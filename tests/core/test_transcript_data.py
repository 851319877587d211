"""What the transcript view reads: text, stable lines, turns, codings and notes as plain values."""

from __future__ import annotations

import dataclasses

import pytest

from tests.core.helpers_docs import imported
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.services.annotations import add_annotation
from thematic_workbench.core.services.codes import create_code, recolour_code
from thematic_workbench.core.services.codings import apply_coding, remove_coding
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.store import ProjectStore
from thematic_workbench.core.textlayout import compute_lines
from thematic_workbench.core.transcript_data import (
    AnnotationSpan,
    CodingSpan,
    TurnSpan,
    annotations_of,
    codings_of,
    heading_of,
    load_transcript,
)
from thematic_workbench.io.speakers import detect_turns

TEXT = (
    "INTERVIEWER: How do you look after yourself after a difficult session? 🙂\n"
    "\n"
    "PA: Honestly I go for a run 👍🏽 and it clears my head. At the Café I write notes and "
    "stop carrying the client home.\n"
    "\n"
    "INTERVIEWER: And supervision?\n"
    "PA: Supervision is where I can say the unsayable."
)


@pytest.fixture
def document_id(store: ProjectStore) -> int:
    doc = imported(TEXT, wrap=40)
    doc = dataclasses.replace(doc, turns=tuple(detect_turns(doc.text)))
    with store.transaction("researcher") as tx:
        return import_document(tx, doc, participant="PA").new_id("document")


def _code(store: ProjectStore, name: str, colour: str) -> int:
    with store.transaction("researcher") as tx:
        return create_code(tx, name, colour=colour).new_id("code")


def test_load_transcript_gives_text_lines_and_turns(store: ProjectStore,
                                                     document_id: int) -> None:
    with store.read() as session:
        data = load_transcript(session, document_id)
    assert data.id == document_id and data.participant == "PA"
    assert data.name == "PA-interview"
    assert data.text == TEXT
    assert list(data.lines) == compute_lines(TEXT, 40)
    assert data.turns[0] == TurnSpan("INTERVIEWER", 0, TEXT.index("🙂") + 1,
                                     len("INTERVIEWER: "))
    assert [turn.speaker for turn in data.turns] == ["INTERVIEWER", "PA", "INTERVIEWER", "PA"]
    assert data.codings == () and data.annotations == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.text = ""  # type: ignore[misc]


def test_codings_come_in_text_order_with_code_and_coder(store: ProjectStore,
                                                        document_id: int) -> None:
    care = _code(store, "Self-care", "#4E79A7")
    run = _code(store, "Running", "#F28E2B")
    head = TEXT.index("it clears")
    with store.transaction("second coder") as tx:
        later = apply_coding(tx, document_id, care, head, head + 9, memo="coping").new_id(
            "coding")
    with store.transaction("researcher") as tx:
        first = apply_coding(tx, document_id, run, 0, 11).new_id("coding")
    with store.read() as session:
        codings = codings_of(session, document_id)
    assert codings == (
        CodingSpan(first, run, "Running", "#F28E2B", 0, 11, "researcher", ""),
        CodingSpan(later, care, "Self-care", "#4E79A7", head, head + 9, "second coder",
                   "coping"),
    )
    with store.transaction("researcher") as tx:
        recolour_code(tx, run, "#59A14F")
        remove_coding(tx, later)
    with store.read() as session:
        assert [(c.id, c.colour) for c in codings_of(session, document_id)] == [
            (first, "#59A14F")]
        assert load_transcript(session, document_id).codings == codings_of(session,
                                                                           document_id)


def test_annotations_and_heading(store: ProjectStore, document_id: int) -> None:
    cafe = TEXT.index("Café")
    with store.transaction("researcher") as tx:
        note = add_annotation(tx, document_id, cafe, cafe + 4, "Where she writes").new_id(
            "annotation")
    with store.read() as session:
        assert annotations_of(session, document_id) == (
            AnnotationSpan(note, cafe, cafe + 4, "Where she writes"),)
        assert load_transcript(session, document_id).annotations[0].body == "Where she writes"
        assert heading_of(session, document_id) == ("PA-interview", "PA")
        assert heading_of(session, document_id + 1) is None


def test_a_missing_document_is_refused(store: ProjectStore) -> None:
    with store.read() as session, pytest.raises(NotFoundError):
        load_transcript(session, 99)
