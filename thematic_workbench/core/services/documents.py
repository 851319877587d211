"""Storing imported transcripts (one transaction each) and deleting them."""

from __future__ import annotations

import json

from sqlalchemy import func, insert, select

from thematic_workbench.core.changes import Change
from thematic_workbench.core.errors import WorkbenchError
from thematic_workbench.core.models import Annotation, Coding, Document, Line, Participant, Turn
from thematic_workbench.core.services.common import delete_audited, get_or_fail, tidy_name
from thematic_workbench.core.services.participants import ensure_participant
from thematic_workbench.core.transaction import Tx
from thematic_workbench.io.imported import ImportedDocument


class AlreadyImportedError(WorkbenchError):
    """The same source file (same SHA-256) is already in the project."""

    def __init__(self, source_name: str, existing_name: str) -> None:
        self.existing_name = existing_name
        super().__init__(
            f"{source_name}: already imported as '{existing_name}' (same SHA-256); "
            "skipped (use --force to import it again)"
        )


def _free_name(tx: Tx, wanted: str) -> str:
    taken = set(tx.session.execute(
        select(Document.name).where(Document.name.like(f"{wanted}%"))).scalars())
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted} ({number})" in taken:
        number += 1
    return f"{wanted} ({number})"


def import_document(tx: Tx, doc: ImportedDocument, participant: str | None = None,
                    force: bool = False) -> Change:
    """Store an imported transcript with its lines and turns, in the caller's transaction."""
    if not force:
        existing = tx.session.execute(
            select(Document.name).where(Document.source_sha256 == doc.sha256)).first()
        if existing is not None:
            raise AlreadyImportedError(doc.source_name, existing.name)
    change = Change()
    participant_id = None
    if participant:
        participant_id, created = ensure_participant(tx, participant)
        change.merge(created)
    document = Document(
        name=_free_name(tx, tidy_name(doc.name, "document")), participant_id=participant_id,
        source_name=doc.source_name, source_format=doc.source_format, source_sha256=doc.sha256,
        text=doc.text, char_count=len(doc.text), wrap_width=doc.wrap_width,
        metadata_json=json.dumps(doc.metadata, ensure_ascii=False, sort_keys=True),
        imported_by=tx.coder_id,
    )
    tx.session.add(document)
    tx.session.flush()
    # Core inserts on the session's connection: the ORM's bulk path costs per row, and a
    # transcript has thousands of lines.
    connection = tx.session.connection()
    if doc.lines:
        connection.execute(insert(Line.__table__), [
            {"document_id": document.id, "number": line.number, "start": line.start,
             "end": line.end} for line in doc.lines
        ])
    if doc.turns:
        connection.execute(insert(Turn.__table__), [
            {"document_id": document.id, "speaker": turn.speaker, "start": turn.start,
             "end": turn.end, "speech_start": turn.speech_start,
             "time_start_ms": turn.time_start_ms, "time_end_ms": turn.time_end_ms}
            for turn in doc.turns
        ])
    tx.audit("document.import", "document", document.id, after={
        "name": document.name, "source_name": doc.source_name, "format": doc.source_format,
        "sha256": doc.sha256, "characters": len(doc.text), "lines": len(doc.lines),
        "turns": len(doc.turns), "wrap_width": doc.wrap_width, "participant": participant,
    })
    return change.add("document", document.id)


def rename_document(tx: Tx, document_id: int, name: str) -> Change:
    document = get_or_fail(tx.session, Document, document_id, "document")
    name = tidy_name(name, "document")
    if name == document.name:
        return Change()
    if tx.session.execute(select(Document.id).where(Document.name == name)).first():
        raise WorkbenchError(f"a document named '{name}' already exists")
    before = document.name
    document.name = name
    tx.session.flush()
    tx.audit("document.rename", "document", document_id, before={"name": before},
             after={"name": name})
    return Change().change("document", document_id)


def delete_document(tx: Tx, document_id: int) -> Change:
    """Delete a transcript with its lines, turns, codings and margin notes."""
    document = get_or_fail(tx.session, Document, document_id, "document")
    codings = tx.session.execute(
        select(Coding.id, Coding.code_id, Coding.coder_id, Coding.start, Coding.end, Coding.memo)
        .where(Coding.document_id == document_id)).all()
    annotations = tx.session.execute(
        select(func.count()).select_from(Annotation)
        .where(Annotation.document_id == document_id)).scalar_one()
    label = None
    if document.participant_id is not None:
        label = tx.session.get(Participant, document.participant_id).label  # type: ignore[union-attr]
    before = {
        "name": document.name, "source_name": document.source_name,
        "sha256": document.source_sha256, "characters": document.char_count,
        "participant": label, "codings": [list(row) for row in codings],
        "annotations": annotations,
    }
    change = delete_audited(tx, document, "document", "document.delete", before)
    for row in codings:
        change.remove("coding", row.id)
    return change
