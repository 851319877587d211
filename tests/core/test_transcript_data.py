"""What the transcript view reads: text, stable lines, turns, codings and notes as plain values."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.app.demo import build_demo
from thematic_workbench.core.errors import NotFoundError
from thematic_workbench.core.queries.transcript_data import (
    AnnotationSpan,
    CodingSpan,
    TurnSpan,
    annotations_of,
    codings_of,
    heading_of,
    load_transcript,
)
from thematic_workbench.core.services.annotations import add_annotation
from thematic_workbench.core.services.codes import create_code, recolour_code
from thematic_workbench.core.services.codings import apply_coding, remove_coding
from thematic_workbench.core.services.documents import import_document
from thematic_workbench.core.storage.models import (
    Code,
    Coder,
    Coding,
    Document,
    Line,
    Participant,
    Turn,
)
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import detect_turns
from thematic_workbench.core.text.textlayout import LineSpan, compute_lines

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


def test_the_spelled_out_sql_agrees_with_the_models_on_the_demo(tmp_path: Path) -> None:
    """load_transcript reads raw rows for speed; the ORM's view of them must be the same."""
    build_demo(tmp_path / "demo.thematic")
    with ProjectStore.open(tmp_path / "demo.thematic", readonly=True) as store, \
            store.read() as session:
        documents = session.execute(select(Document)).scalars().all()
        assert len(documents) == 4
        for document in documents:
            data = load_transcript(session, document.id)
            label = session.get(Participant, document.participant_id).label \
                if document.participant_id else None
            assert (data.name, data.participant, data.text) == (document.name, label,
                                                                 document.text)
            assert data.lines == tuple(
                LineSpan(line.number, line.start, line.end) for line in session.execute(
                    select(Line).where(Line.document_id == document.id)
                    .order_by(Line.number)).scalars())
            assert data.turns == tuple(
                (turn.speaker, turn.start, turn.end, turn.speech_start)
                for turn in session.execute(select(Turn).where(Turn.document_id == document.id)
                                            .order_by(Turn.start, Turn.id)).scalars())
            codings = session.execute(select(Coding).where(Coding.document_id == document.id)
                                      .order_by(Coding.start, Coding.end, Coding.id)).scalars()
            expected = tuple(
                (c.id, c.code_id, session.get(Code, c.code_id).name,
                 session.get(Code, c.code_id).colour, c.start, c.end,
                 session.get(Coder, c.coder_id).name, c.memo) for c in codings)
            assert data.codings == expected
            some = [expected[0][0], expected[-1][0]] if expected else []
            assert codings_of(session, document.id, some) == tuple(
                c for c in expected if c[0] in some)
        assert sum(len(load_transcript(session, d.id).codings) for d in documents) == 45


def test_codings_sharing_a_start_come_by_end_then_by_id_and_can_be_read_by_id(
        store: ProjectStore, document_id: int) -> None:
    care = _code(store, "Self-care", "#4E79A7")
    run = _code(store, "Running", "#F28E2B")
    head = TEXT.index("it clears")
    with store.transaction("researcher") as tx:
        longer = apply_coding(tx, document_id, care, head, head + 20).new_id("coding")
        shorter = apply_coding(tx, document_id, run, head, head + 9).new_id("coding")
        same = apply_coding(tx, document_id, care, head, head + 9).new_id("coding")
        earlier = apply_coding(tx, document_id, run, 0, 11).new_id("coding")
    with store.read() as session:
        codings = codings_of(session, document_id)
        assert [c.id for c in codings] == [earlier, shorter, same, longer]
        assert [(c.code_name, c.colour) for c in codings] == [
            ("Running", "#F28E2B"), ("Running", "#F28E2B"), ("Self-care", "#4E79A7"),
            ("Self-care", "#4E79A7")]
        assert codings_of(session, document_id, {longer, earlier}) == (codings[0], codings[3])
        assert codings_of(session, document_id, ()) == ()
