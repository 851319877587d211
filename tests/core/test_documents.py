"""Storing imported transcripts: one transaction each, duplicates reported, deletes cascade."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.core.helpers_docs import imported
from thematic_workbench.core.errors import InvariantError
from thematic_workbench.core.queries.project import document_summaries, extracts_of_code
from thematic_workbench.core.services import codes, codings
from thematic_workbench.core.services.documents import (
    AlreadyImportedError,
    delete_document,
    import_document,
)
from thematic_workbench.core.storage.models import (
    AuditEvent,
    Coding,
    Document,
    Line,
    Participant,
    Turn,
)
from thematic_workbench.core.storage.store import ProjectStore
from thematic_workbench.core.text.speaker_turns import ImportedTurn

TEXT = "\n".join(f"PA: this is answer number {n} about the working alliance" for n in range(30))


def test_import_stores_text_lines_turns_and_participant(store: ProjectStore) -> None:
    doc = imported(TEXT)
    turn = ImportedTurn("PA", 0, 20, 4, 1000, 2000)
    doc = type(doc)(**{**{f: getattr(doc, f) for f in doc.__dataclass_fields__},
                       "turns": (turn,)})
    with store.transaction("alice") as tx:
        change = import_document(tx, doc, participant="PA")
    doc_id = change.new_id("document")
    assert change.added["participant"]
    with store.read() as session:
        stored = session.get(Document, doc_id)
        assert stored.text == TEXT and stored.char_count == len(TEXT)
        assert session.query(Line).count() == 30
        assert session.execute(select(Turn.speaker, Turn.time_start_ms)).one() == ("PA", 1000)
        assert session.get(Participant, stored.participant_id).label == "PA"
        event = session.execute(select(AuditEvent).where(
            AuditEvent.action == "document.import")).scalar_one()
        assert json.loads(event.after_json)["lines"] == 30


def test_same_source_is_skipped_unless_forced(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        import_document(tx, imported(TEXT))
    with pytest.raises(AlreadyImportedError, match="already imported as 'PA-interview'"), \
            store.transaction("alice") as tx:
        import_document(tx, imported(TEXT))
    with store.transaction("alice") as tx:
        import_document(tx, imported(TEXT), force=True)
    with store.read() as session:
        names = sorted(session.execute(select(Document.name)).scalars())
    assert names == ["PA-interview", "PA-interview (2)"]


def test_a_failed_import_leaves_nothing_behind(store: ProjectStore) -> None:
    with pytest.raises(InvariantError), store.transaction("alice") as tx:
        import_document(tx, imported(TEXT), participant="PA")
        raise InvariantError("the disk is full")
    with store.read() as session:
        assert session.query(Document).count() == 0
        assert session.query(Line).count() == 0
        assert session.query(Participant).count() == 0


def test_delete_cascades_and_summaries_and_extracts(store: ProjectStore) -> None:
    with store.transaction("alice") as tx:
        doc = import_document(tx, imported(TEXT), participant="PA").new_id("document")
        code = codes.create_code(tx, "Alliance").new_id("code")
        codings.code_lines(tx, doc, code, 3, 4)
    with store.read() as session:
        [summary] = document_summaries(session)
        [extract] = extracts_of_code(session, code)
    assert (summary.lines, summary.codings, summary.participant) == (30, 1, "PA")
    assert summary.coded_characters == len(TEXT.split("\n")[2]) * 2 + 1
    assert extract.citation == "[PA, lines 3-4]"
    assert extract.text == "\n".join(TEXT.split("\n")[2:4])
    with store.transaction("alice") as tx:
        delete_document(tx, doc)
    with store.read() as session:
        assert session.query(Coding).count() == 0 and session.query(Line).count() == 0
