"""Margin notes: spans inside the text, edits, deletion, audit events."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import (
    add_document,
    assert_chain_intact,
    before_after,
    event_count,
    last_event,
)
from thematic_workbench.core.errors import InvariantError, NotFoundError
from thematic_workbench.core.services import annotations
from thematic_workbench.core.storage.models import Annotation, Document
from thematic_workbench.core.text.textlayout import canonical_text

CODER = "Ann Analyst"
TEXT = "PA: I run 🏃 to forget.\nINTERVIEWER: Mm.\nPA: Cafe\u0301 later."
LENGTH = len(canonical_text(TEXT))  # code points after NFC: the emoji and the é count once


@pytest.fixture
def document(store) -> int:
    with store.transaction(CODER) as tx:
        return add_document(tx.session, text=TEXT)


def test_add_annotation_stores_the_span_and_is_audited(store, document):
    with store.transaction(CODER) as tx:
        change = annotations.add_annotation(tx, document, 4, 12, "  Running as escape?  ")
    note_id = change.new_id("annotation")
    with store.read() as session:
        note = session.get(Annotation, note_id)
        assert (note.document_id, note.start, note.end, note.body) == (
            document, 4, 12, "Running as escape?")
        event = last_event(session, "annotation.add")
        listed = annotations.list_annotations(session, document)
        only = session.execute(select(Annotation)).scalar_one()
    assert only.id == note_id
    before, after = before_after(event)
    assert (event.entity_kind, event.entity_id, before) == ("annotation", note_id, None)
    assert (after["start"], after["end"], after["body"]) == (4, 12, "Running as escape?")
    assert [(a.id, a.coder, a.body) for a in listed] == [(note_id, CODER, "Running as escape?")]
    assert_chain_intact(store)


def test_a_note_may_end_at_the_last_code_point(store, document):
    assert len(TEXT) - 1 == LENGTH
    with store.transaction(CODER) as tx:
        annotations.add_annotation(tx, document, LENGTH - 1, LENGTH, "last character")
    with store.read() as session:
        note = session.execute(select(Annotation)).scalar_one()
        assert session.get(Document, document).text[note.start:note.end] == "."


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (6, 2), (0, LENGTH + 1)])
def test_add_annotation_refuses_spans_outside_the_text(store, document, start, end):
    with store.read() as session:
        events = event_count(session)
    with pytest.raises(InvariantError, match=f"positions 0 to {LENGTH}"), \
            store.transaction(CODER) as tx:
        annotations.add_annotation(tx, document, start, end, "note")
    with store.read() as session:
        assert session.execute(select(Annotation)).first() is None
        assert event_count(session) == events


def test_add_annotation_needs_a_document_and_some_text(store, document):
    with pytest.raises(NotFoundError, match="no document with id 999"), \
            store.transaction(CODER) as tx:
        annotations.add_annotation(tx, 999, 0, 1, "note")
    with pytest.raises(InvariantError, match="needs some text"), store.transaction(CODER) as tx:
        annotations.add_annotation(tx, document, 0, 1, "   ")


def test_edit_annotation_changes_body_and_span(store, document):
    with store.transaction(CODER) as tx:
        note_id = annotations.add_annotation(tx, document, 0, 3, "speaker").new_id("annotation")
        annotations.edit_annotation(tx, note_id, body="who speaks", end=2)
        assert annotations.edit_annotation(tx, note_id, body="who speaks").empty
    with store.read() as session:
        note = session.get(Annotation, note_id)
        assert (note.start, note.end, note.body) == (0, 2, "who speaks")
        assert before_after(last_event(session, "annotation.edit")) == (
            {"body": "speaker", "end": 3}, {"body": "who speaks", "end": 2})
    with pytest.raises(InvariantError, match="not 0 to 999"), store.transaction(CODER) as tx:
        annotations.edit_annotation(tx, note_id, end=999)
    with pytest.raises(NotFoundError, match="no margin note with id 999"), \
            store.transaction(CODER) as tx:
        annotations.edit_annotation(tx, 999, body="x")


def test_delete_annotation_keeps_what_it_was_in_the_audit(store, document):
    with store.transaction(CODER) as tx:
        note_id = annotations.add_annotation(tx, document, 0, 3, "speaker").new_id("annotation")
        change = annotations.delete_annotation(tx, note_id)
    assert change.removed == {"annotation": [note_id]}
    with store.read() as session:
        assert session.get(Annotation, note_id) is None
        before, after = before_after(last_event(session, "annotation.delete"))
    assert (before["body"], before["start"], before["end"], after) == ("speaker", 0, 3, None)
    with pytest.raises(NotFoundError), store.transaction(CODER) as tx:
        annotations.delete_annotation(tx, note_id)
    assert_chain_intact(store)
