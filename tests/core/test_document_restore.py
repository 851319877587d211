"""Deleting a transcript can be undone: it comes back with its ids, lines, turns, codings,
margin notes, reading marks, representative extracts and search entries."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import assert_chain_intact, before_after, imported, last_event
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.finding.search import search_project
from thematic_workbench.core.services import annotations, codes, codings, themes
from thematic_workbench.core.services.documents import (
    delete_document,
    import_document,
    rename_document,
    restore_document,
    save_document,
)
from thematic_workbench.core.services.reading import mark_read, read_marks
from thematic_workbench.core.storage.models import Annotation, Coding, Document, Line, Theme, Turn
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import ImportedTurn

TEXT = ("INTERVIEWER: How do you look after yourself?\n"
        "PA: Honestly I go for a run. It clears my head.\n"
        "INTERVIEWER: And supervision?\n"
        "PA: Supervision is where I can say the unsayable.")


def _contents(store: ProjectStore, document_id: int) -> dict[str, Any]:
    with store.read() as s:
        document = s.get(Document, document_id)
        return {
            "document": None if document is None else (document.name, document.text,
                                                       document.participant_id),
            "lines": s.execute(select(Line.number, Line.start, Line.end)
                               .where(Line.document_id == document_id)).all(),
            "turns": s.execute(select(Turn.id, Turn.speaker, Turn.start)
                               .where(Turn.document_id == document_id)).all(),
            "codings": s.execute(select(Coding.id, Coding.code_id, Coding.start, Coding.end,
                                        Coding.memo)
                                 .where(Coding.document_id == document_id)).all(),
            "notes": s.execute(select(Annotation.id, Annotation.body)
                               .where(Annotation.document_id == document_id)).all(),
            "marks": [(m.id, m.coder, m.at) for m in read_marks(s).get(document_id, [])],
            "representative": s.execute(select(Theme.representative_coding_id)).scalar_one(),
        }


@pytest.fixture
def document(store: ProjectStore) -> int:
    doc = replace(imported(TEXT, "PA interview"), turns=(
        ImportedTurn("INTERVIEWER", 0, 44, 13), ImportedTurn("PA", 45, 92, 49)))
    with store.transaction("alice") as tx:
        document_id = import_document(tx, doc, participant="PA").new_id("document")
        run = codes.create_code(tx, "Running").new_id("code")
        supervision = codes.create_code(tx, "Supervision").new_id("code")
        coding = codings.code_lines(tx, document_id, run, 2, 2).new_id("coding")
        codings.code_lines(tx, document_id, supervision, 4, 4, memo="key quote")
        annotations.add_annotation(tx, document_id, 0, 10, "first question")
        theme = themes.create_theme(tx, "Looking after oneself").new_id("theme")
        themes.assign_code(tx, run, theme)
        themes.set_representative_extract(tx, theme, coding)
        mark_read(tx, document_id)
    return document_id


def test_delete_then_restore_brings_everything_back(store: ProjectStore,
                                                    document: int) -> None:
    before = _contents(store, document)
    assert all(before.values()), before
    with store.transaction("alice") as tx:
        saved = save_document(tx.session, document)
        delete_document(tx, document)
    gone = _contents(store, document)
    assert gone["document"] is None and not gone["codings"] and not gone["marks"]
    assert gone["representative"] is None
    with store.read() as s:
        assert search_project(s, "unsayable") == []

    with store.transaction("alice") as tx:
        change = restore_document(tx, saved)
    assert change.new_id("document") == document
    assert sorted(change.added["coding"]) == [row.id for row in before["codings"]]
    assert _contents(store, document) == before
    with store.read() as s:
        (hit,) = search_project(s, "unsayable")
        assert (hit.participant, hit.line) == ("PA", 4)
        _before, after = before_after(last_event(s, "document.restore"))
        assert (after["name"], after["codings"], after["reading_marks"]) == (
            "PA interview", 2, 1)
    assert_chain_intact(store)


def test_codings_follow_a_merge_and_skip_a_deleted_code(store: ProjectStore,
                                                        document: int) -> None:
    with store.transaction("alice") as tx:
        saved = save_document(tx.session, document)
        delete_document(tx, document)
    running, supervision = (row["code_id"] for row in sorted(
        saved.codings, key=lambda row: row["start"]))
    with store.transaction("alice") as tx:
        other = codes.create_code(tx, "Self-care").new_id("code")
        codes.merge_codes(tx, [running], other)
        codes.delete_code(tx, supervision)
    with store.transaction("alice") as tx:
        restore_document(tx, saved)
    with store.read() as s:
        assert s.execute(select(Coding.code_id).where(
            Coding.document_id == document)).scalars().all() == [other]


def test_restore_refuses_a_name_taken_since(store: ProjectStore, document: int) -> None:
    with store.transaction("alice") as tx:
        saved = save_document(tx.session, document)
        delete_document(tx, document)
    with store.transaction("alice") as tx:
        other = import_document(tx, imported("PB: hello.", "PB")).new_id("document")
        rename_document(tx, other, "PA interview")
    with pytest.raises(InvariantError, match="already exists"), \
            store.transaction("alice") as tx:
        restore_document(tx, saved)
